/// Identifiers ECS gives the resources it creates.
public enum ECSResourceID {
    /// Length of a task or container instance ID: 32 lowercase hexadecimal digits, as in
    /// `arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef0123456789abcdef`.
    public static let hexLength = 32

    /// A new random 32-hex-digit ID (128 bits from the system's random source).
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A new 32-hex-digit ID from `generator`.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(hexLength)
        for _ in 0..<hexLength {
            out.append(digits[Int(generator.next() & 0xF)])
        }
        return out
    }

    /// Whether `text` has the form of an ID ECS generated: 32 hex digits, or a UUID with dashes
    /// (the older container instance ID form).
    public static func isWellFormed(_ text: String) -> Bool {
        let hex = text.utf8.filter { $0 != UInt8(ascii: "-") }
        return (text.utf8.count == hexLength || text.utf8.count == hexLength + 4)
            && hex.count == hexLength
            && hex.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
    }
}
