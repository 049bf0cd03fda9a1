"""Test-session settings."""

import os

# OpenMP threads that spin while waiting make XGBoost and LightGBM many times slower on
# cores shared with other processes (the suite's many small fits); set before the
# libraries load their OpenMP runtime.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
