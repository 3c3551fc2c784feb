"""kooperationsgraph — knowledge graph of Germany's cooperation landscape in supply crises."""

__version__ = "0.1.0"
