/// Checks shared by every operation's input, throwing ECS's errors.
enum RequestValidation {
    /// `value`, or ``ECSError/missing(_:_:)`` if it is absent or (for strings and lists) empty.
    static func required<T>(_ value: T?, _ member: String,
                            _ kind: ECSError.Kind = .invalidParameterException) throws(ECSError) -> T {
        guard let value else { throw .missing(member, kind) }
        if let text = value as? String, text.isEmpty { throw .missing(member, kind) }
        if let list = value as? [Any], list.isEmpty { throw .missing(member, kind) }
        return value
    }

    /// Throws unless `value` is one of `allowed` (ECS answers InvalidParameterException).
    static func oneOf(_ value: String, _ allowed: [String], member: String) throws(ECSError) {
        if !allowed.contains(value) { throw .invalidEnum(member, value, allowed: allowed) }
    }

    /// Throws unless `list` has at most `limit` items.
    static func atMost<T>(_ list: [T], _ limit: Int, member: String) throws(ECSError) {
        if list.count > limit {
            throw ECSError(.invalidParameterException, "\(member) can have at most \(limit) items; \(list.count) were given.")
        }
    }

    /// ECS's rule for cluster, service and family names: "Up to 255 letters (uppercase and
    /// lowercase), numbers, underscores, and hyphens are allowed."
    static func isValidResourceName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255
            && name.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
            }
    }
}
