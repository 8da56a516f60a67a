/// ECS's tag rules (`Tag` data type): at most 50 tags per resource, unique keys of 1-128
/// characters, values of 0-256, letters, numbers, spaces and `_ . : / = + - @`, and no keys
/// beginning with `aws:` in any case (reserved for AWS).
enum TagValidation {
    /// "Maximum number of tags per resource - 50".
    static let maxTagsPerResource = 50
    /// "Maximum key length - 128 Unicode characters in UTF-8".
    static let maxKeyLength = 128
    /// "Maximum value length - 256 Unicode characters in UTF-8".
    static let maxValueLength = 256
    /// The prefix AWS reserves.
    static let reservedPrefix = "aws:"

    /// Validates a list of tags from a request; returns them with absent values as "".
    static func validate(_ tags: [ECSTag]) throws(ECSError) -> [ECSTag] {
        if tags.count > maxTagsPerResource {
            throw ECSError(.invalidParameterException,
                           "A resource can have at most \(maxTagsPerResource) tags; \(tags.count) were given.")
        }
        var seen: Set<String> = []
        var result: [ECSTag] = []
        for tag in tags {
            let key = try self.key(tag.key)
            let value = tag.value ?? ""
            if value.unicodeScalars.count > maxValueLength {
                throw ECSError(.invalidParameterException, "Tag value of key '\(key)' is longer than \(maxValueLength) characters.")
            }
            if !isAllowed(value) {
                throw ECSError(.invalidParameterException, "Tag value of key '\(key)' contains characters that are not allowed.")
            }
            if !seen.insert(key).inserted {
                throw ECSError(.invalidParameterException, "Tag key '\(key)' is specified more than once.")
            }
            result.append(ECSTag(key: key, value: value))
        }
        return result
    }

    /// Validates one tag key (also used for UntagResource's `tagKeys`).
    static func key(_ key: String?) throws(ECSError) -> String {
        guard let key, !key.isEmpty else { throw .missing("Tag.key") }
        if key.unicodeScalars.count > maxKeyLength {
            throw ECSError(.invalidParameterException, "Tag key '\(key)' is longer than \(maxKeyLength) characters.")
        }
        if !isAllowed(key) {
            throw ECSError(.invalidParameterException, "Tag key '\(key)' contains characters that are not allowed.")
        }
        if key.lowercased().hasPrefix(reservedPrefix) {
            throw ECSError(.invalidParameterException, "Tag keys beginning with 'aws:' are reserved for AWS use.")
        }
        return key
    }

    /// The tag pattern `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`.
    static func isAllowed(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .spaceSeparator, .lineSeparator, .paragraphSeparator,
                 .decimalNumber, .letterNumber, .otherNumber:
                return true
            default:
                return "_.:/=+-@".unicodeScalars.contains(scalar)
            }
        }
    }
}
