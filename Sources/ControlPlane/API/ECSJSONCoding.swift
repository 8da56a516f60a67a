import Foundation

/// Request bodies in, response bodies out, in the AWS JSON 1.1 conventions ECS uses.
enum ECSJSONCoding {
    /// Decodes a request. An empty body is `{}` (the CLI sends `{}` for an operation without
    /// parameters; some clients send nothing). Malformed JSON, a body that is not an object, or
    /// a member of the wrong type is a `SerializationException`; `null` members are absent;
    /// unknown members are ignored.
    static func decode<T: Decodable>(_ type: T.Type, from body: Data) throws(ECSError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: normalized(body))
        } catch let error as DecodingError {
            throw ECSError(.serializationException, TaskDefinitionError(decoding: error).message)
        } catch {
            throw ECSError(.serializationException, "\(error)")
        }
    }

    /// `body`, or `{}` if it is empty or only whitespace.
    static func normalized(_ body: Data) -> Data {
        body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) ? Data("{}".utf8) : body
    }

    /// Encodes a response: members that are nil are left out (never `null`), timestamps are
    /// seconds since the epoch as numbers, slashes are not escaped.
    static func encode<T: Encodable>(_ value: T) throws(ECSError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw ECSError(.serverException, "Could not encode the response: \(error)")
        }
    }
}

/// A response with no members (`{}`), e.g. TagResource's.
struct EmptyResponse: Encodable {}
