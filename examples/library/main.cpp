// Decides one application with the mcre library, without the CLI:
//   library-example POLICY_FILE_OR_DIR APPLICATION
// prints per credential its status, recognized ECTS and the reason that decided it with
// the clause it cites, then the total. Built in CI against the installed package
// (tests/library), so it is also the proof that find_package(mcre) works.

#include <iostream>

#include "engine/library.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " POLICY_FILE_OR_DIR APPLICATION\n";
        return 2;
    }

    // Load once; a const Policies can then be shared by any number of threads.
    mcre::PoliciesLoad loaded = mcre::Policies::load({argv[1]});
    for (const auto& problem : loaded.problems) std::cerr << problem.rendered;
    if (loaded.policies.empty()) return 1;

    // No policy id: the policy of the application's jurisdiction in force on its date.
    mcre::EvaluationResult result = mcre::evaluate_file(loaded.policies, argv[2]);
    if (!result.decision) {
        std::cerr << result.errors;
        return 1;
    }
    for (const std::string& warning : result.warnings) std::cerr << "warning: " << warning << "\n";

    const mcre::engine::Decision& decision = *result.decision;
    std::cout << "application " << decision.application_id << " under policy " << decision.policy_id
              << " " << decision.policy_version << "\n";
    for (const mcre::engine::CredentialDecision& credential : decision.credentials) {
        std::cout << credential.id << " " << mcre::engine::status_name(credential.status) << " "
                  << credential.recognized_ects << " ECTS";
        // primary_code names the reason that decided the status; a recognized credential
        // has none, but may still carry a warning.
        const auto& reasons = credential.reasons;
        const mcre::engine::Reason* shown = reasons.empty() ? nullptr : &reasons.front();
        for (const mcre::engine::Reason& reason : reasons) {
            if (reason.code == credential.primary_code) {
                shown = &reason;
                break;
            }
        }
        if (shown != nullptr) {
            std::cout << ": " << shown->code << " - " << shown->message << " [" << shown->cite
                      << "]";
        }
        std::cout << "\n";
    }
    std::cout << "total recognized: " << decision.total_recognized << " ECTS\n";
    // mcre::to_text(decision) and mcre::to_json(decision) give the full explanation.
    return 0;
}
