/// ListSecrets' `SortBy`: what secrets are ordered by, names breaking ties. A page token
/// carries the last secret's sort value (as text) and name.
enum SecretSortKey: String, CaseIterable, Sendable {
    case createdDate = "created-date"
    case lastAccessedDate = "last-accessed-date"
    case lastChangedDate = "last-changed-date"
    case name

    /// Where a secret stands in ascending order: its sort value (0 for a secret never read,
    /// which sorts first; 0 for every secret when sorting by name) and its name.
    func position(of secret: SecretRecord) -> (Double, String) {
        switch self {
        case .createdDate: (secret.createdDate, secret.name)
        case .lastAccessedDate: (secret.lastAccessedDate ?? 0, secret.name)
        case .lastChangedDate: (secret.lastChangedDate, secret.name)
        case .name: (0, secret.name)
        }
    }

    /// The position a page token names, from `key` (``token(of:)``'s value, then the name);
    /// nil when the value does not read back.
    static func position(token key: [String]) -> (Double, String)? {
        guard key.count == 2, let value = Double(key[0]) else { return nil }
        return (value, key[1])
    }

    /// The page-token key of `secret`: its sort value and its name.
    func token(of secret: SecretRecord) -> [String] {
        let (value, name) = position(of: secret)
        return [String(value), name]
    }
}
