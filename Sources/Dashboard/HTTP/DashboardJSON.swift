import Foundation

/// The JSON form of a ``DashboardSnapshot``: keys sorted (stable output), absent optionals
/// left out, times as Unix seconds.
public enum DashboardJSON {
    public static let contentType = "application/json; charset=utf-8"

    public static func encode(_ snapshot: DashboardSnapshot) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return Array(try encoder.encode(snapshot))
    }

    public static func decode(_ bytes: [UInt8]) throws -> DashboardSnapshot {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try decoder.decode(DashboardSnapshot.self, from: Data(bytes))
    }
}
