/// One ListSecrets filter: the secret matches when any of `values` matches the field (or, for a
/// value starting with `!`, when the rest does not), as AWS filters: `name`, `tag-key` and
/// `tag-value` by a case-sensitive prefix of the field; `description` and `all` (name,
/// description, tag keys and values together) by words, not case-sensitive: every word of the
/// value must begin some word of the field.
struct SecretFilter: Sendable {
    enum Field: String, Sendable, CaseIterable {
        case name, description, tagKey = "tag-key", tagValue = "tag-value", all
        /// Secrets Wharf keeps have no other region and no owning service: these find nothing.
        case primaryRegion = "primary-region", owningService = "owning-service"
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
        case .primaryRegion, .owningService: candidates = []
        }
        let byWords = field == .description || field == .all
        let fieldWords = byWords ? candidates.flatMap(Self.words) : []
        return values.contains { value in
            let negated = value.hasPrefix("!")
            let wanted = negated ? String(value.dropFirst()) : value
            let found = byWords
                ? Self.words(wanted).allSatisfy { word in fieldWords.contains { $0.hasPrefix(word) } }
                : candidates.contains { $0.hasPrefix(wanted) }
            return found != negated
        }
    }

    /// `text` split at whitespace, lowercased.
    private static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
    }
}
