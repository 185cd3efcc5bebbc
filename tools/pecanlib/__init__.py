"""Pecan's host tools: scenarios, QEMU command lines and the test harness."""
