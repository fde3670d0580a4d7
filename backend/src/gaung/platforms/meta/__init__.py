"""The Graph API layer shared by the Facebook Page and Instagram connectors."""
