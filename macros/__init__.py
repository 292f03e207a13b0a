"""The add-in's VBA and ribbon sources, shipped as package data."""
