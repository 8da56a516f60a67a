import Foundation

extension JSONValue {
    /// Decodes this value as `T` with Foundation's `JSONDecoder`, dates as epoch seconds
    /// (the AWS JSON protocols' timestamp form). Lets a handler decode a whole input shape
    /// (e.g. a task definition) with `Codable` and map `DecodingError` to its own errors.
    public func decode<T: Decodable>(_ type: T.Type) throws(DecodingError) -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return try decoder.decode(type, from: Data(JSONWriter.bytes(self)))
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(error)"))
        }
    }

    /// The JSON form of an `Encodable` value (dates as epoch seconds).
    public init<T: Encodable>(encoding value: T) throws(EncodingError) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch let error as EncodingError {
            throw error
        } catch {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(error)"))
        }
        do {
            self = try JSONParser(maximumDepth: Int.max).parse(Array(data))
        } catch {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(error)"))
        }
    }
}
