/// Name lookups over a parsed field list.
enum HTTPFieldLookup {
    static func firstIndex(in fields: [HTTPField], named name: StaticString, base: UnsafeRawBufferPointer) -> Int? {
        guard let baseAddress = base.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let count = name.utf8CodeUnitCount
        let literal = name.utf8Start
        for index in fields.indices {
            let range = fields[index].nameRange
            guard range.count == count, range.upperBound <= base.count else { continue }
            if ByteComparison.equalsIgnoringCase(baseAddress + range.lowerBound, literal, count: count) {
                return index
            }
        }
        return nil
    }
}
