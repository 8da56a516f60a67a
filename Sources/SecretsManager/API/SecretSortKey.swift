/// ListSecrets' `SortBy`: what secrets are ordered by, names breaking ties. A page token
/// carries the last secret's sort value (as text) and name.
enum SecretSortKey: String, CaseIterable, Sendable {
    case createdDate = "created-date"
    case lastAccessedDate = "last-accessed-date"
    case lastChangedDate = "last-changed-date"
    case name

    /// Where a secret stands: its sort value (0 for a secret never accessed, which sorts first)
    /// and its name.
    typealias Position = (value: Double, name: String)

    func position(of secret: SecretRecord) -> Position {
        switch self {
        case .createdDate: return (secret.createdDate, secret.name)
        case .lastAccessedDate: return (secret.lastAccessedDate ?? 0, secret.name)
        case .lastChangedDate: return (secret.lastChangedDate, secret.name)
        case .name: return (0, secret.name)
        }
    }

    func orders(_ lhs: SecretRecord, before rhs: SecretRecord) -> Bool {
        let (a, b) = (position(of: lhs), position(of: rhs))
        return (a.value, a.name) < (b.value, b.name)
    }

    /// Whether `secret` comes after `position` in ascending order.
    func isAfter(_ secret: SecretRecord, _ position: Position) -> Bool {
        let own = self.position(of: secret)
        return (own.value, own.name) > (position.value, position.name)
    }

    /// Whether `secret` comes before `position` in ascending order.
    func isBefore(_ secret: SecretRecord, _ position: Position) -> Bool {
        let own = self.position(of: secret)
        return (own.value, own.name) < (position.value, position.name)
    }

    /// The sort value of `secret` as a page token keeps it.
    func token(of secret: SecretRecord) -> String {
        String(position(of: secret).value)
    }

    /// The position a page token names; nil when its value does not read back.
    func position(token value: String, name: String) -> Position? {
        Double(value).map { ($0, name) }
    }
}
