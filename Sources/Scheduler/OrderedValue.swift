/// How `>`, `<`, `>=`, `<=` order two values of the query language.
enum OrderedValue {
    /// The most segments a dotted version may have; longer dotted strings compare as text.
    static let maximumVersionSegments = 8
    /// The most digits of one version segment (keeps segments within `Int`).
    static let maximumSegmentDigits = 18

    /// `text` as a plain decimal number (`-12`, `3.5`), or nil. Exponents, `inf` and `nan` are
    /// not numbers here.
    static func decimal(_ text: String) -> Double? {
        var digits = 0
        var dots = 0
        for (index, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case "0"..."9": digits += 1
            case ".": dots += 1
            case "-", "+": if index != 0 { return nil }
            default: return nil
            }
        }
        guard digits > 0, dots <= 1 else { return nil }
        return Double(text)
    }

    /// `text` as a dotted version of whole numbers (`1.14.5`), or nil.
    static func version(_ text: String) -> [Int]? {
        var segments: [Int] = []
        var current = 0
        var digits = 0
        for scalar in text.unicodeScalars {
            if scalar == "." {
                guard digits > 0, segments.count < maximumVersionSegments - 1 else { return nil }
                segments.append(current)
                current = 0
                digits = 0
            } else if let digit = digitValue(scalar) {
                guard digits < maximumSegmentDigits else { return nil }
                current = current * 10 + digit
                digits += 1
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        segments.append(current)
        return segments
    }

    /// Orders an instance's value against a literal: as numbers when both are numbers, as
    /// versions when both are dotted versions, otherwise as strings. Negative, zero, positive.
    static func compare(_ value: String, _ literal: QueryLiteral) -> Int {
        if let right = literal.number, let left = decimal(value) {
            return left < right ? -1 : (left > right ? 1 : 0)
        }
        if let right = literal.version, let left = version(value) {
            return compareVersions(left, right)
        }
        return compareText(value, literal.text)
    }

    /// Orders two versions; missing trailing segments count as 0 (`1.2` == `1.2.0`). Values that
    /// are not versions fall back to string order.
    static func compareAsVersions(_ value: String, _ literal: QueryLiteral) -> Int {
        if let right = literal.version, let left = version(value) {
            return compareVersions(left, right)
        }
        return compareText(value, literal.text)
    }

    static func compareVersions(_ left: [Int], _ right: [Int]) -> Int {
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }

    static func compareText(_ left: String, _ right: String) -> Int {
        left < right ? -1 : (left == right ? 0 : 1)
    }

    static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        guard scalar.value >= 48, scalar.value <= 57 else { return nil }
        return Int(scalar.value - 48)
    }
}
