"""The learner's home page: what is assigned and due, and the certificates held. It composes
what the catalog and certification features know, so it sits above both."""
