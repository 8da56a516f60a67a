import Foundation

/// Reads the members of a request object with the errors an AWS service returns.
///
/// A member that is absent or `null` counts as not given (the AWS JSON protocols treat both
/// alike). A member of the wrong JSON type is a `SerializationException`, as AWS's
/// deserializer reports it before any validation; a member that is missing or out of range
/// is reported with the exception type the caller chose (`InvalidParameterException` for
/// most ECS operations, `ClientException` for `RegisterTaskDefinition`,
/// `ValidationException` for Application Auto Scaling). Every validation failure takes an
/// optional `message` so a caller can give the service's own wording; the defaults name the
/// member by its full path (`containerOverrides[1].name`).
public struct JSONMembers: Sendable {
    /// The object's members.
    public let members: [String: JSONValue]
    /// The exception type for validation failures.
    public let errorType: String
    /// Path of this object inside the request (`""` for the request itself).
    public let path: String

    /// Reads `value`, which must be an object (else `SerializationException`).
    public init(_ value: JSONValue, errorType: String, path: String = "") throws(AWSServiceError) {
        guard case .object(let members) = value else {
            throw .serialization(path.isEmpty
                ? "Expected a JSON object as the request body, got \(value.kindDescription)."
                : "Unexpected value for '\(path)': expected an object, got \(value.kindDescription).")
        }
        self.members = members
        self.errorType = errorType
        self.path = path
    }

    /// The full path of member `name`, for messages.
    public func path(of name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }

    /// The member `name` unless it is absent or `null`.
    public func value(_ name: String) -> JSONValue? {
        guard let value = members[name], !value.isNull else { return nil }
        return value
    }

    /// Whether the member `name` is given (present and not `null`).
    public func contains(_ name: String) -> Bool { value(name) != nil }

    /// A validation failure of this object's chosen type.
    public func invalid(_ message: String) -> AWSServiceError {
        AWSServiceError(type: errorType, message: message)
    }

    func typeMismatch(_ fieldPath: String, expected: String, got value: JSONValue) -> AWSServiceError {
        .serialization("Unexpected value for '\(fieldPath)': expected \(expected), got \(value.kindDescription).")
    }

    func missing(_ name: String, _ message: String?) -> AWSServiceError {
        invalid(message ?? "Missing required member '\(path(of: name))'.")
    }

    // MARK: Strings

    /// A string member that may be absent.
    public func optionalString(_ name: String) throws(AWSServiceError) -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value else { throw typeMismatch(path(of: name), expected: "a string", got: value) }
        return text
    }

    /// A string member that must be present and non-empty; `message` replaces the default
    /// "Missing required member 'name'." wording.
    public func requiredString(_ name: String, message: String? = nil) throws(AWSServiceError) -> String {
        guard let text = try optionalString(name), !text.isEmpty else { throw missing(name, message) }
        return text
    }

    /// A string member restricted to `allowed` values, absent allowed.
    public func optionalEnum(_ name: String, allowed: [String], message: String? = nil) throws(AWSServiceError) -> String? {
        guard let text = try optionalString(name) else { return nil }
        guard allowed.contains(text) else {
            throw invalid(message ?? "Invalid value '\(text)' for '\(path(of: name))': must be one of \(allowed.joined(separator: ", ")).")
        }
        return text
    }

    /// A string member restricted to `allowed` values that must be present.
    public func requiredEnum(_ name: String, allowed: [String], message: String? = nil) throws(AWSServiceError) -> String {
        guard let text = try optionalEnum(name, allowed: allowed, message: message) else { throw missing(name, nil) }
        return text
    }

    /// An enum member read straight into a `String`-backed Swift enum.
    public func optionalEnum<E: RawRepresentable & CaseIterable>(_ name: String, as type: E.Type, message: String? = nil)
        throws(AWSServiceError) -> E? where E.RawValue == String
    {
        guard let text = try optionalEnum(name, allowed: E.allCases.map(\.rawValue), message: message) else { return nil }
        return E(rawValue: text)
    }

    // MARK: Numbers and Booleans

    /// An integer member that may be absent, checked against `range` when one is given.
    /// A fractional number is a type mismatch.
    public func optionalInt(_ name: String, range: ClosedRange<Int>? = nil, message: String? = nil) throws(AWSServiceError) -> Int? {
        guard let value = value(name) else { return nil }
        guard let number = value.intValue else { throw typeMismatch(path(of: name), expected: "an integer", got: value) }
        if let range, !range.contains(number) {
            throw invalid(message ?? "Invalid value \(number) for '\(path(of: name))': must be between \(range.lowerBound) and \(range.upperBound).")
        }
        return number
    }

    /// An integer member that must be present.
    public func requiredInt(_ name: String, range: ClosedRange<Int>? = nil, message: String? = nil) throws(AWSServiceError) -> Int {
        guard let number = try optionalInt(name, range: range, message: message) else { throw missing(name, nil) }
        return number
    }

    /// A number member (integer or fractional) that may be absent.
    public func optionalDouble(_ name: String) throws(AWSServiceError) -> Double? {
        guard let value = value(name) else { return nil }
        guard let number = value.doubleValue else { throw typeMismatch(path(of: name), expected: "a number", got: value) }
        return number
    }

    /// A Boolean member that may be absent.
    public func optionalBool(_ name: String) throws(AWSServiceError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard case .bool(let flag) = value else { throw typeMismatch(path(of: name), expected: "a boolean", got: value) }
        return flag
    }

    /// A timestamp member (epoch seconds) that may be absent.
    public func optionalTimestamp(_ name: String) throws(AWSServiceError) -> Date? {
        guard let value = value(name) else { return nil }
        guard let date = value.timestampValue else { throw typeMismatch(path(of: name), expected: "a timestamp", got: value) }
        return date
    }

    // MARK: Lists, maps and nested objects

    /// A list of strings that may be absent; `count` bounds its length when given.
    public func optionalStringList(_ name: String, count: ClosedRange<Int>? = nil, message: String? = nil)
        throws(AWSServiceError) -> [String]?
    {
        guard let value = value(name) else { return nil }
        guard case .array(let elements) = value else { throw typeMismatch(path(of: name), expected: "a list", got: value) }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw typeMismatch("\(path(of: name))[\(position)]", expected: "a string", got: element)
            }
            strings.append(text)
        }
        if let count, !count.contains(strings.count) {
            throw invalid(message ?? "'\(path(of: name))' must have between \(count.lowerBound) and \(count.upperBound) items, got \(strings.count).")
        }
        return strings
    }

    /// A list of strings that must be present and non-empty.
    public func requiredStringList(_ name: String, count: ClosedRange<Int>? = nil, message: String? = nil)
        throws(AWSServiceError) -> [String]
    {
        guard let strings = try optionalStringList(name, count: count, message: message), !strings.isEmpty else {
            throw missing(name, message)
        }
        return strings
    }

    /// A map of string to string (e.g. `dockerLabels`) that may be absent.
    public func optionalStringMap(_ name: String) throws(AWSServiceError) -> [String: String]? {
        guard let value = value(name) else { return nil }
        guard case .object(let entries) = value else { throw typeMismatch(path(of: name), expected: "a map", got: value) }
        var map: [String: String] = [:]
        for (key, entry) in entries {
            guard case .string(let text) = entry else {
                throw typeMismatch("\(path(of: name)).\(key)", expected: "a string", got: entry)
            }
            map[key] = text
        }
        return map
    }

    /// A nested object that may be absent, read with the same error type.
    public func optionalObject(_ name: String) throws(AWSServiceError) -> JSONMembers? {
        guard let value = value(name) else { return nil }
        return try JSONMembers(value, errorType: errorType, path: path(of: name))
    }

    /// A nested object that must be present.
    public func requiredObject(_ name: String, message: String? = nil) throws(AWSServiceError) -> JSONMembers {
        guard let object = try optionalObject(name) else { throw missing(name, message) }
        return object
    }

    /// A list of objects that may be absent; each element is read with the same error type
    /// and a path like `name[2]`.
    public func optionalObjectList(_ name: String) throws(AWSServiceError) -> [JSONMembers]? {
        guard let value = value(name) else { return nil }
        guard case .array(let elements) = value else { throw typeMismatch(path(of: name), expected: "a list", got: value) }
        var objects: [JSONMembers] = []
        objects.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            objects.append(try JSONMembers(element, errorType: errorType, path: "\(path(of: name))[\(position)]"))
        }
        return objects
    }
}
