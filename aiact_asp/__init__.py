"""aiact-asp: classify AI systems under the EU AI Act with Answer Set Programming (clingo)."""

__version__ = "0.1.0"
