"""Tests for sim.build."""
