/// One ListSecrets filter: the secret matches when any of `values` is a prefix of the field
/// (or, for a value starting with `!`, when none of the field's values starts with the rest).
struct SecretFilter: Sendable {
    enum Field: String, Sendable, CaseIterable {
        case name, description, tagKey = "tag-key", tagValue = "tag-value", all
    }

    var field: Field
    var values: [String]

    func matches(_ secret: SecretRecord) -> Bool {
        let candidates: [String]
        switch field {
        case .name: candidates = [secret.name]
        case .description: candidates = [secret.description ?? ""]
        case .tagKey: candidates = secret.tags.map(\.key)
        case .tagValue: candidates = secret.tags.map(\.value)
        case .all: candidates = [secret.name, secret.description ?? ""] + secret.tags.flatMap { [$0.key, $0.value] }
        }
        return values.contains { value in
            if value.hasPrefix("!") {
                let prefix = String(value.dropFirst())
                return !candidates.contains { $0.hasPrefix(prefix) }
            }
            return candidates.contains { $0.hasPrefix(value) }
        }
    }
}
