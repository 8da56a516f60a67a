/// The pattern of `=~` / `!~`. ECS takes Java regular expressions and matches the whole value;
/// this is the subset without groups: literals, `.`, `*`, `+`, `?`, character classes
/// (`[a-z0-9]`, `[^-]`), the escapes `\d \w \s \D \W \S` and escaped metacharacters, top-level
/// alternation `a|b`, and `^`/`$` at the ends. Groups `( )`, counted repetition `{n,m}` and
/// lazy/possessive quantifiers are refused with a parse error rather than misread.
///
/// Matching simulates the pattern's automaton over the value (linear in value × pattern
/// length), so no pattern can make it backtrack exponentially.
public struct QueryPattern: Sendable, Hashable, CustomStringConvertible {
    /// The most items one pattern compiles to; longer patterns are refused.
    static let maximumItems = 512

    public let source: String
    private let alternatives: [[Item]]

    /// A pattern error: the offset (in Unicode scalars within the pattern) and why.
    public struct SyntaxError: Error, Sendable, Hashable {
        public var offset: Int
        public var message: String
    }

    public init(_ source: String) throws(SyntaxError) {
        var compiler = Compiler(Array(source.unicodeScalars))
        self.alternatives = try compiler.compile()
        self.source = source
    }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        for items in alternatives where Self.matches(items, scalars) { return true }
        return false
    }

    public var description: String { source }

    public static func == (lhs: QueryPattern, rhs: QueryPattern) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    // MARK: - Automaton

    enum Repetition: Sendable, Hashable {
        case one
        case optional
        case zeroOrMore
    }

    enum Atom: Sendable, Hashable {
        case any
        case scalar(Unicode.Scalar)
        case set(ScalarSet)

        func matches(_ scalar: Unicode.Scalar) -> Bool {
            switch self {
            case .any: return scalar != "\n"
            case .scalar(let expected): return scalar == expected
            case .set(let set): return set.contains(scalar)
            }
        }
    }

    struct Item: Sendable, Hashable {
        var atom: Atom
        var repetition: Repetition
    }

    /// State k means "items 0..<k are matched". An item that may repeat or be absent lets the
    /// state move on without input (the closure); input moves it along (or keeps it, for `*`).
    private static func matches(_ items: [Item], _ text: [Unicode.Scalar]) -> Bool {
        let stateCount = items.count + 1
        var current = [Bool](repeating: false, count: stateCount)
        var next = current
        current[0] = true
        close(&current, items)
        for scalar in text {
            for index in 0..<stateCount { next[index] = false }
            var alive = false
            for (index, item) in items.enumerated() where current[index] && item.atom.matches(scalar) {
                switch item.repetition {
                case .zeroOrMore: next[index] = true
                case .one, .optional: next[index + 1] = true
                }
                alive = true
            }
            guard alive else { return false }
            close(&next, items)
            swap(&current, &next)
        }
        return current[items.count]
    }

    private static func close(_ states: inout [Bool], _ items: [Item]) {
        for (index, item) in items.enumerated() where states[index] && item.repetition != .one {
            states[index + 1] = true
        }
    }

    // MARK: - Compiler

    private struct Compiler {
        let scalars: [Unicode.Scalar]
        var position = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        mutating func compile() throws(SyntaxError) -> [[Item]] {
            var alternatives: [[Item]] = []
            var items: [Item] = []
            var alternativeStart = 0
            var itemCount = 0
            while position < scalars.count {
                let start = position
                let scalar = scalars[position]
                position += 1
                switch scalar {
                case "|":
                    alternatives.append(items)
                    items = []
                    alternativeStart = position
                case "^":
                    guard start == alternativeStart else { throw SyntaxError(offset: start, message: "'^' is only supported at the start of the pattern") }
                case "$":
                    guard position == scalars.count || scalars[position] == "|" else {
                        throw SyntaxError(offset: start, message: "'$' is only supported at the end of the pattern")
                    }
                case "*", "+", "?":
                    guard let last = items.last, last.repetition == .one, start > alternativeStart,
                        !(scalars[start - 1] == "^" && start - 1 == alternativeStart)
                    else {
                        let previous = start > alternativeStart ? scalars[start - 1] : "|"
                        let message = "*+?".unicodeScalars.contains(previous)
                            ? "lazy, possessive and stacked quantifiers are not supported"
                            : "'\(scalar)' has nothing to repeat"
                        throw SyntaxError(offset: start, message: message)
                    }
                    switch scalar {
                    case "*": items[items.count - 1].repetition = .zeroOrMore
                    case "?": items[items.count - 1].repetition = .optional
                    default: items.append(Item(atom: last.atom, repetition: .zeroOrMore))
                    }
                case "(", ")":
                    throw SyntaxError(offset: start, message: "groups are not supported in patterns")
                case "{":
                    throw SyntaxError(offset: start, message: "counted repetition '{n,m}' is not supported in patterns")
                case ".":
                    items.append(Item(atom: .any, repetition: .one))
                case "[":
                    items.append(Item(atom: .set(try characterClass(openedAt: start)), repetition: .one))
                case "\\":
                    items.append(Item(atom: try escape(at: start, inClass: false), repetition: .one))
                default:
                    items.append(Item(atom: .scalar(scalar), repetition: .one))
                }
                itemCount += 1
                guard itemCount <= QueryPattern.maximumItems else {
                    throw SyntaxError(offset: start, message: "the pattern is longer than \(QueryPattern.maximumItems) elements")
                }
            }
            alternatives.append(items)
            return alternatives
        }

        /// After `[`: members until the closing `]` (a `]` right after `[` or `[^` is a member).
        mutating func characterClass(openedAt start: Int) throws(SyntaxError) -> ScalarSet {
            var set = ScalarSet()
            if position < scalars.count, scalars[position] == "^" {
                set.negated = true
                position += 1
            }
            var first = true
            while true {
                guard position < scalars.count else {
                    throw SyntaxError(offset: start, message: "unterminated character class '['")
                }
                let memberStart = position
                let scalar = scalars[position]
                position += 1
                if scalar == "]" && !first { return set }
                first = false
                let low: Atom
                if scalar == "\\" {
                    low = try escape(at: memberStart, inClass: true)
                } else if scalar == "[" {
                    throw SyntaxError(offset: memberStart, message: "nested character classes are not supported")
                } else {
                    low = .scalar(scalar)
                }
                // A range `a-z`, unless the `-` is the last member (`[a-]`).
                if case .scalar(let lowScalar) = low, position + 1 < scalars.count, scalars[position] == "-", scalars[position + 1] != "]" {
                    position += 1
                    let highStart = position
                    var high = scalars[position]
                    position += 1
                    if high == "\\" {
                        guard case .scalar(let escaped) = try escape(at: highStart, inClass: true) else {
                            throw SyntaxError(offset: highStart, message: "a range cannot end in a class escape")
                        }
                        high = escaped
                    }
                    guard lowScalar.value <= high.value else {
                        throw SyntaxError(offset: memberStart, message: "illegal character range '\(lowScalar)-\(high)'")
                    }
                    set.ranges.append(lowScalar.value...high.value)
                    continue
                }
                switch low {
                case .scalar(let member): set.ranges.append(member.value...member.value)
                case .set(let inner): set.merge(inner)
                case .any: set.ranges.append(0...0x10FFFF)
                }
            }
        }

        /// After `\`: a class escape or an escaped literal.
        mutating func escape(at start: Int, inClass: Bool) throws(SyntaxError) -> Atom {
            guard position < scalars.count else {
                throw SyntaxError(offset: start, message: "the pattern ends with an unfinished escape '\\'")
            }
            let scalar = scalars[position]
            position += 1
            switch scalar {
            case "d": return .set(.digits)
            case "D": return .set(.digits.inverted)
            case "w": return .set(.word)
            case "W": return .set(.word.inverted)
            case "s": return .set(.space)
            case "S": return .set(.space.inverted)
            case "t": return .scalar("\t")
            case "n": return .scalar("\n")
            default:
                let isLetterOrDigit = ScalarSet.word.contains(scalar) && scalar != "_"
                guard !isLetterOrDigit else {
                    throw SyntaxError(offset: start, message: "unsupported escape '\\\(scalar)'")
                }
                return .scalar(scalar)
            }
        }
    }
}

/// A set of Unicode scalars as ranges, possibly negated.
struct ScalarSet: Sendable, Hashable {
    var ranges: [ClosedRange<UInt32>] = []
    var negated = false

    static let digits = ScalarSet(ranges: [48...57])
    static let word = ScalarSet(ranges: [48...57, 65...90, 95...95, 97...122])
    static let space = ScalarSet(ranges: [9...13, 32...32])

    var inverted: ScalarSet { ScalarSet(ranges: ranges, negated: !negated) }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        var found = false
        for range in ranges where range.contains(scalar.value) {
            found = true
            break
        }
        return found != negated
    }

    /// Adds the members of `other` (a class escape inside a class); a negated `other` (`\D`)
    /// becomes the ranges it leaves out.
    mutating func merge(_ other: ScalarSet) {
        guard other.negated else {
            ranges += other.ranges
            return
        }
        var next: UInt32 = 0
        for range in other.ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { ranges.append(next...(range.lowerBound - 1)) }
            next = max(next, range.upperBound + 1)
        }
        if next <= 0x10FFFF { ranges.append(next...0x10FFFF) }
    }
}
