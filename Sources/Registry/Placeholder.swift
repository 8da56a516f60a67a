/// Registry: filled in by its own change.
enum RegistryPlaceholder {}
