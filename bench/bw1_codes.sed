# BW1's reason codes from mcre's (bench/bw1.policy, "Reason codes"): a cap's code is CAP_ and
# its name, so the caps overall_bachelor, overall_master and overall_integrated give BW1's CAP,
# and vocational_in_master gives CAP_VOCATIONAL like the cap vocational. Nothing else changes.
s/"reason_code":"CAP_OVERALL_[A-Z_]*"/"reason_code":"CAP"/g
s/"reason_code":"CAP_VOCATIONAL_[A-Z_]*"/"reason_code":"CAP_VOCATIONAL"/g
