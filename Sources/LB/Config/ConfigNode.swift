import Yams

/// One node of a parsed configuration document with the path that leads to it, so that every
/// error can name the field and its line.
///
/// YAML and JSON are both read through Yams' node API (JSON is, for these documents, a subset of
/// YAML), never through `Codable`: decoding errors from `Codable` lose the line.
struct ConfigNode {
    let node: Node
    /// Path of this node, e.g. `targetGroups[1].healthCheck`.
    let path: String
    let source: String

    var line: Int? { node.mark?.line }

    func error(_ kind: ConfigurationError.Kind, _ message: String) -> ConfigurationError {
        ConfigurationError(kind, source: source, field: path, line: line, message: message)
    }

    /// A short name for the kind of node found, for "expected X, found Y" messages.
    var foundDescription: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if scalar.style == .plain {
                if scalar.string.isEmpty || scalar.string == "null" || scalar.string == "~" { return "null" }
                return "'\(scalar.string)'"
            }
            return "the string \"\(scalar.string)\""
        }
    }

    /// The node as a mapping whose keys must all be in `allowedKeys`.
    func mapping(allowedKeys: Set<String>) throws(ConfigurationError) -> ConfigMapping {
        guard case .mapping(let mapping) = node else {
            throw error(.wrongType, "expected a mapping, found \(foundDescription)")
        }
        var entries: [String: ConfigNode] = [:]
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw ConfigurationError(
                    .wrongType, source: source, field: path, line: keyNode.mark?.line ?? line,
                    message: "keys must be strings")
            }
            let key = keyScalar.string
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            guard allowedKeys.contains(key) else {
                let known = allowedKeys.sorted().joined(separator: ", ")
                throw ConfigurationError(
                    .unknownKey, source: source, field: childPath, line: keyNode.mark?.line ?? line,
                    message: "unknown key '\(key)' (known keys: \(known))")
            }
            if entries[key] != nil {
                throw ConfigurationError(
                    .duplicate, source: source, field: childPath, line: keyNode.mark?.line ?? line,
                    message: "key '\(key)' appears twice")
            }
            entries[key] = ConfigNode(node: valueNode, path: childPath, source: source)
        }
        return ConfigMapping(owner: self, entries: entries)
    }

    /// The node as a list; each element's path is `path[i]`.
    func sequence() throws(ConfigurationError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else {
            throw error(.wrongType, "expected a list, found \(foundDescription)")
        }
        var out: [ConfigNode] = []
        out.reserveCapacity(sequence.count)
        for (index, element) in sequence.enumerated() {
            out.append(ConfigNode(node: element, path: "\(path)[\(index)]", source: source))
        }
        return out
    }

    /// Any non-null scalar as text. YAML writers rarely quote names, so `name: 8003` is the
    /// string "8003"; only mappings, lists and null are refused.
    func string() throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node, !isNull(scalar) else {
            throw error(.wrongType, "expected a string, found \(foundDescription)")
        }
        return scalar.string
    }

    /// An unquoted decimal integer in `range`. A quoted number is a string, as in JSON.
    func int(in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Self.decimalInteger(scalar.string)
        else {
            throw error(.wrongType, "expected an integer, found \(foundDescription)")
        }
        guard range.contains(value) else {
            throw error(.outOfRange, "must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
        return value
    }

    /// An unquoted finite number in `range`.
    func double(in range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        guard case .scalar(let scalar) = node, scalar.style == .plain, Self.isDecimalNumber(scalar.string),
            let value = Double(scalar.string), value.isFinite
        else {
            throw error(.wrongType, "expected a number, found \(foundDescription)")
        }
        guard range.contains(value) else {
            throw error(
                .outOfRange,
                "must be between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound)), found \(Self.format(value))"
            )
        }
        return value
    }

    /// An unquoted `true` or `false`.
    func bool() throws(ConfigurationError) -> Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        throw error(.wrongType, "expected true or false, found \(foundDescription)")
    }

    private func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && (scalar.string.isEmpty || scalar.string == "null" || scalar.string == "~")
    }

    /// Decimal digits with an optional sign; no `0x`, `0o`, `_` or sexagesimal forms.
    static func decimalInteger(_ text: String) -> Int? {
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(text.first == "+" ? String(text.dropFirst()) : text)
    }

    /// Digits, sign, one decimal point and an exponent: what JSON calls a number.
    static func isDecimalNumber(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "e")
                    || byte == UInt8(ascii: "E")
            }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// A mapping whose keys were checked against the fields the configuration defines.
struct ConfigMapping {
    let owner: ConfigNode
    let entries: [String: ConfigNode]

    var path: String { owner.path }

    func optional(_ key: String) -> ConfigNode? { entries[key] }

    func required(_ key: String) throws(ConfigurationError) -> ConfigNode {
        guard let value = entries[key] else {
            let field = owner.path.isEmpty ? key : "\(owner.path).\(key)"
            throw ConfigurationError(
                .missingField, source: owner.source, field: field, line: owner.line,
                message: "required field '\(key)' is missing")
        }
        return value
    }
}
