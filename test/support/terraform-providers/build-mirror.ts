// Placeholder until the provider stand-ins land: nothing to build yet.
