/// ECS's rules for attributes (`Attribute` data type).
enum AttributeValidation {
    /// Name and value: "between 1 and 128 characters".
    static let maxLength = 128
    /// PutAttributes / DeleteAttributes: "You can specify up to 10 attributes in a single call."
    static let maxPerCall = 10

    /// Name: letters, numbers, hyphens, underscores, forward slashes, back slashes, periods.
    static func name(_ name: String?) throws(ECSError) -> String {
        guard let name, !name.isEmpty else { throw .missing("Attribute.name") }
        guard name.utf8.count <= maxLength,
              name.unicodeScalars.allSatisfy({ isASCIIAlphanumeric($0) || "-_/\\.".unicodeScalars.contains($0) })
        else {
            throw ECSError(.invalidParameterException,
                           "Attribute name '\(name)' is invalid: 1-128 letters, numbers, hyphens, underscores, slashes, back slashes or periods are allowed.")
        }
        return name
    }

    /// Value: letters, numbers, hyphens, underscores, periods, at signs, slashes, back slashes,
    /// colons, spaces; not beginning or ending with a space.
    static func value(_ value: String?, name: String) throws(ECSError) -> String? {
        guard let value else { return nil }
        guard !value.isEmpty, value.utf8.count <= maxLength,
              !value.hasPrefix(" "), !value.hasSuffix(" "),
              value.unicodeScalars.allSatisfy({ isASCIIAlphanumeric($0) || "-_.@/\\: ".unicodeScalars.contains($0) })
        else {
            throw ECSError(.invalidParameterException,
                           "Attribute value of '\(name)' is invalid: 1-128 letters, numbers, hyphens, underscores, periods, at signs, slashes, back slashes, colons or spaces are allowed, not beginning or ending with a space.")
        }
        return value
    }

    /// `targetType`: when given, `container-instance`.
    static func targetType(_ targetType: String?) throws(ECSError) {
        guard let targetType else { return }
        try RequestValidation.oneOf(targetType, [ECSAttribute.containerInstanceTargetType], member: "targetType")
    }

    private static func isASCIIAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }
}
