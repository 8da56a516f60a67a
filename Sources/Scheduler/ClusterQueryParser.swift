/// Recursive-descent parser of the cluster query language over Unicode scalars, so every error
/// carries the offset where it was found.
///
///     expression := or
///     or         := and (("or" | "||") and)*
///     and        := unary (("and" | "&&") unary)*
///     unary      := ("not" | "!") unary | "(" or ")" | comparison
///     comparison := subject operator [argument]
struct ClusterQueryParser {
    /// How many characters of the offending input an error message quotes.
    static let quotedTokenLimit = 24

    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ source: String) {
        self.scalars = Array(source.unicodeScalars)
    }

    mutating func parseExpression() throws(ClusterQueryParseError) -> QueryNode {
        skipWhitespace()
        guard !atEnd else { throw failure(at: position, "the expression is empty") }
        let node = try parseOr()
        skipWhitespace()
        guard atEnd else {
            let message = peek == ")" ? "unexpected ')' without a matching '('" : "unexpected \(quotedToken()); expected 'and', 'or' or the end of the expression"
            throw failure(at: position, message)
        }
        return node
    }

    // MARK: - Boolean structure

    private mutating func parseOr() throws(ClusterQueryParseError) -> QueryNode {
        var left = try parseAnd()
        while true {
            skipWhitespace()
            guard consume("||") || consumeKeyword("or") else { return left }
            left = .or(left, try parseAnd())
        }
    }

    private mutating func parseAnd() throws(ClusterQueryParseError) -> QueryNode {
        var left = try parseUnary()
        while true {
            skipWhitespace()
            guard consume("&&") || consumeKeyword("and") else { return left }
            left = .and(left, try parseUnary())
        }
    }

    private mutating func parseUnary() throws(ClusterQueryParseError) -> QueryNode {
        skipWhitespace()
        guard !atEnd else { throw failure(at: position, "the expression ends where a condition was expected") }
        if consume("!") || consumeKeyword("not") {
            return .not(try parseUnary())
        }
        let open = position
        if consume("(") {
            let inner = try parseOr()
            skipWhitespace()
            guard consume(")") else {
                let message = atEnd ? "missing ')' to close the '(' at offset \(open)" : "expected ')' but found \(quotedToken())"
                throw failure(at: position, message)
            }
            return inner
        }
        return .comparison(try parseComparison())
    }

    // MARK: - Comparisons

    private mutating func parseComparison() throws(ClusterQueryParseError) -> QueryComparison {
        let subjectStart = position
        let word = readWhile { !Self.isDelimiter($0) && !Self.isOperatorScalar($0) }
        guard !word.isEmpty else { throw failure(at: position, "expected a subject but found \(quotedToken())") }
        let subject = try resolveSubject(word, at: subjectStart)

        skipWhitespace()
        let operatorStart = position
        guard let op = readOperator() else {
            let message = atEnd ? "expected an operator after '\(subject.name)'" : "unknown operator \(quotedToken())"
            throw failure(at: operatorStart, message)
        }
        guard subject.allows(op) else {
            throw failure(at: operatorStart, "operator '\(op.rawValue)' cannot be used with '\(subject.name)'")
        }

        let argument: QueryArgument
        switch op {
        case .exists, .notExists:
            argument = .none
        case .in, .notIn:
            argument = .list(try parseList(for: subject))
        case .matches, .notMatches:
            argument = .pattern(try parsePattern())
        default:
            skipWhitespace()
            let valueStart = position
            guard let text = try readValue() else {
                throw failure(at: valueStart, atEnd ? "expected a value after '\(op.rawValue)'" : "expected a value but found \(quotedToken())")
            }
            argument = .literal(try literal(text, for: subject, at: valueStart))
        }
        return QueryComparison(subject: subject, op: op, argument: argument)
    }

    private func resolveSubject(_ word: String, at start: Int) throws(ClusterQueryParseError) -> QuerySubject {
        switch word {
        case "agentConnected": return .agentConnected
        case "agentVersion": return .agentVersion
        case "ec2InstanceId": return .ec2InstanceId
        case "registeredAt": return .registeredAt
        case "runningTasksCount": return .runningTasksCount
        case "task:group": return .taskGroup
        default: break
        }
        let prefix = SpreadField.attributePrefix
        guard word.hasPrefix(prefix) else {
            throw failure(
                at: start,
                "unknown subject '\(word)'; expected attribute:NAME, agentConnected, agentVersion, ec2InstanceId, registeredAt, runningTasksCount or task:group"
            )
        }
        let name = String(word.dropFirst(prefix.count))
        let nameStart = start + prefix.unicodeScalars.count
        guard !name.isEmpty else { throw failure(at: nameStart, "expected an attribute name after 'attribute:'") }
        // ECS attribute names: letters, digits, '-', '_', '/', '\', '.'; 1 to 128 of them.
        for (offset, scalar) in name.unicodeScalars.enumerated() where !Self.isAttributeNameScalar(scalar) {
            throw failure(at: nameStart + offset, "invalid character '\(scalar)' in attribute name")
        }
        guard name.unicodeScalars.count <= Self.maximumAttributeNameLength else {
            throw failure(at: nameStart, "attribute names are at most \(Self.maximumAttributeNameLength) characters")
        }
        return .attribute(name)
    }

    /// ECS's limit on attribute names.
    static let maximumAttributeNameLength = 128

    /// Symbolic operators first (longest first), then word forms. Leaves `position` unchanged
    /// when there is none.
    private mutating func readOperator() -> QueryOperator? {
        if consumeKeyword("!exists") { return .notExists }
        if consumeKeyword("!in") { return .notIn }
        let symbols: [(String, QueryOperator)] = [
            ("==", .equals), ("!=", .notEquals), (">=", .greaterThanOrEqual), ("<=", .lessThanOrEqual),
            ("=~", .matches), ("!~", .notMatches), (">", .greaterThan), ("<", .lessThan),
        ]
        for (symbol, op) in symbols where consume(symbol) { return op }
        let words: [(String, QueryOperator)] = [
            ("equals", .equals), ("not_equals", .notEquals), ("greater_than", .greaterThan),
            ("greater_than_equal", .greaterThanOrEqual), ("less_than", .lessThan), ("less_than_equal", .lessThanOrEqual),
            ("exists", .exists), ("not_exists", .notExists), ("in", .in), ("not_in", .notIn),
            ("matches", .matches), ("not_matches", .notMatches),
        ]
        for (word, op) in words where consumeKeyword(word) { return op }
        return nil
    }

    private mutating func parseList(for subject: QuerySubject) throws(ClusterQueryParseError) -> [QueryLiteral] {
        skipWhitespace()
        let open = position
        guard consume("[") else {
            throw failure(at: position, atEnd ? "expected '[' to start a list of values" : "expected '[' but found \(quotedToken())")
        }
        var values: [QueryLiteral] = []
        while true {
            skipWhitespace()
            let valueStart = position
            guard let text = try readValue() else {
                let message = atEnd ? "missing ']' to close the list at offset \(open)" : "expected a value but found \(quotedToken())"
                throw failure(at: valueStart, message)
            }
            values.append(try literal(text, for: subject, at: valueStart))
            skipWhitespace()
            if consume(",") { continue }
            if consume("]") { return values }
            throw failure(at: position, atEnd ? "missing ']' to close the list at offset \(open)" : "expected ',' or ']' but found \(quotedToken())")
        }
    }

    private mutating func parsePattern() throws(ClusterQueryParseError) -> QueryPattern {
        skipWhitespace()
        let start = position
        let text: String
        var patternStart = start
        if let quote = peek, quote == "'" || quote == "\"" {
            guard let quoted = try readQuoted() else { throw failure(at: start, "expected a pattern") }
            text = quoted
            patternStart += 1
        } else {
            text = readBarePattern()
        }
        guard !text.isEmpty else {
            throw failure(at: start, atEnd ? "expected a pattern after the match operator" : "expected a pattern but found \(quotedToken())")
        }
        do {
            return try QueryPattern(text)
        } catch {
            throw failure(at: patternStart + error.offset, error.message)
        }
    }

    /// The typed reading of a value for its subject, checked here so a bad date or count is a
    /// parse error with a position, not a silent mismatch later.
    private func literal(_ text: String, for subject: QuerySubject, at start: Int) throws(ClusterQueryParseError) -> QueryLiteral {
        switch subject {
        case .registeredAt:
            guard let seconds = QueryTimestamp.parse(text) else {
                throw failure(at: start, "invalid date '\(text)'; expected 2018-06-18, 2018-06-18T22:28:28, 2018-06-18T22:28:28Z or 2018-06-18T22:28:28+00:00")
            }
            return QueryLiteral(text: text, integer: seconds)
        case .runningTasksCount:
            guard let count = Int64(text) else { throw failure(at: start, "expected a whole number but found '\(text)'") }
            return QueryLiteral(text: text, integer: count)
        case .agentConnected:
            let lowered = text.lowercased()
            guard lowered == "true" || lowered == "false" else {
                throw failure(at: start, "expected true or false but found '\(text)'")
            }
            return QueryLiteral(text: lowered)
        default:
            return QueryLiteral(text: text)
        }
    }

    // MARK: - Values

    /// A quoted string or a bare word; nil when there is none here.
    private mutating func readValue() throws(ClusterQueryParseError) -> String? {
        if let quote = peek, quote == "'" || quote == "\"" { return try readQuoted() }
        let word = readWhile { !Self.isDelimiter($0) }
        return word.isEmpty ? nil : word
    }

    /// `'...'` or `"..."`; a backslash escapes the next character.
    private mutating func readQuoted() throws(ClusterQueryParseError) -> String? {
        guard let quote = peek else { return nil }
        let start = position
        position += 1
        var text = String.UnicodeScalarView()
        while position < scalars.count {
            let scalar = scalars[position]
            position += 1
            if scalar == quote { return String(text) }
            if scalar == "\\", position < scalars.count {
                text.append(scalars[position])
                position += 1
            } else {
                text.append(scalar)
            }
        }
        throw failure(at: start, "unterminated quoted value")
    }

    /// A bare pattern runs to whitespace or an unbalanced `)`; inside `[...]` anything goes.
    private mutating func readBarePattern() -> String {
        var text = String.UnicodeScalarView()
        var inClass = false
        var classStart = 0
        while position < scalars.count {
            let scalar = scalars[position]
            if !inClass {
                if Self.isWhitespace(scalar) || scalar == ")" || startsWithLogicalSymbol() { break }
                if scalar == "[" {
                    inClass = true
                    classStart = position
                }
            } else if scalar == "]" && position > classStart + 1 && !(position == classStart + 2 && scalars[classStart + 1] == "^") {
                inClass = false
            }
            text.append(scalar)
            position += 1
            if scalar == "\\", position < scalars.count {
                text.append(scalars[position])
                position += 1
            }
        }
        return String(text)
    }

    // MARK: - Scanning

    private var atEnd: Bool { position >= scalars.count }
    private var peek: Unicode.Scalar? { atEnd ? nil : scalars[position] }

    private mutating func skipWhitespace() {
        while position < scalars.count, Self.isWhitespace(scalars[position]) { position += 1 }
    }

    private mutating func readWhile(_ accept: (Unicode.Scalar) -> Bool) -> String {
        var text = String.UnicodeScalarView()
        while position < scalars.count, accept(scalars[position]), !startsWithLogicalSymbol() {
            text.append(scalars[position])
            position += 1
        }
        return String(text)
    }

    private func startsWithLogicalSymbol() -> Bool {
        guard position + 1 < scalars.count else { return false }
        let (first, second) = (scalars[position], scalars[position + 1])
        return (first == "&" && second == "&") || (first == "|" && second == "|")
    }

    private mutating func consume(_ symbol: String) -> Bool {
        let symbolScalars = Array(symbol.unicodeScalars)
        guard position + symbolScalars.count <= scalars.count else { return false }
        for (offset, scalar) in symbolScalars.enumerated() where scalars[position + offset] != scalar { return false }
        position += symbolScalars.count
        return true
    }

    /// A word (case-insensitive) that is not the start of a longer word.
    private mutating func consumeKeyword(_ word: String) -> Bool {
        let wordScalars = Array(word.unicodeScalars)
        guard position + wordScalars.count <= scalars.count else { return false }
        for (offset, scalar) in wordScalars.enumerated() where Self.lowercased(scalars[position + offset]) != scalar { return false }
        let end = position + wordScalars.count
        if end < scalars.count, Self.isWordScalar(scalars[end]) { return false }
        position = end
        return true
    }

    private func quotedToken() -> String {
        guard !atEnd else { return "the end of the expression" }
        var text = String.UnicodeScalarView()
        var index = position
        repeat {
            text.append(scalars[index])
            index += 1
        } while index < scalars.count && !Self.isWhitespace(scalars[index]) && text.count < Self.quotedTokenLimit
        return "'\(String(text))'"
    }

    private func failure(at offset: Int, _ message: String) -> ClusterQueryParseError {
        ClusterQueryParseError(offset: offset, message: message)
    }

    // MARK: - Character classes

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// Ends a bare value: whitespace, brackets, parentheses, commas, quotes.
    static func isDelimiter(_ scalar: Unicode.Scalar) -> Bool {
        isWhitespace(scalar) || "()[],'\"".unicodeScalars.contains(scalar)
    }

    /// Characters operators are made of; they also end a subject (`attribute:a==b`).
    static func isOperatorScalar(_ scalar: Unicode.Scalar) -> Bool {
        "=!<>~".unicodeScalars.contains(scalar)
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ":", ".", "-": return true
        default: return false
        }
    }

    static func isAttributeNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", "/", "\\", ".": return true
        default: return false
        }
    }

    static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard scalar.value >= 65, scalar.value <= 90, let lower = Unicode.Scalar(scalar.value + 32) else { return scalar }
        return lower
    }
}
