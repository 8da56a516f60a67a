import Glibc

/// The bytes the tests stream through the proxy, the same formula as the backend's `pattern`:
/// byte `i` is `f(i mod 65521)`. The period is prime, so no buffer size divides it, and a lost,
/// repeated or reordered buffer anywhere in a body shows up as a mismatch.
enum BodyPattern {
    static let period = 65_521

    /// Two periods back to back, so any run of up to one period starts at `offset % period`.
    private static let doubleBlock: [UInt8] = {
        let block = (0..<period).map { j in UInt8(truncatingIfNeeded: j &* 131 &+ (j >> 8)) }
        return block + block
    }()

    /// `count` pattern bytes from `offset`.
    static func bytes(offset: Int = 0, count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var position = offset
        var remaining = count
        while remaining > 0 {
            let start = position % period
            let take = min(remaining, period)
            out.append(contentsOf: doubleBlock[start..<(start + take)])
            position += take
            remaining -= take
        }
        return out
    }

    /// The offset of the first byte of `body` that differs from the pattern, nil when it all matches.
    static func firstMismatch(in body: [UInt8], offset: Int = 0) -> Int? {
        body.withUnsafeBytes { received in
            doubleBlock.withUnsafeBytes { expected in
                var position = 0
                while position < received.count {
                    let start = (offset + position) % period
                    let take = min(received.count - position, period)
                    if memcmp(received.baseAddress! + position, expected.baseAddress! + start, take) != 0 {
                        for index in position..<(position + take)
                        where received[index] != expected[(offset + index) % period] {
                            return index
                        }
                    }
                    position += take
                }
                return nil
            }
        }
    }
}
