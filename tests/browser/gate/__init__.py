"""The browser gate suite's machinery: the case pages (`cases`, served by `site`), Chromium driving them
(`runner`) and the before/after report (`report`). The tests are ../test_gate_cases.py."""
