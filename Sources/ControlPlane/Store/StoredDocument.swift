import Foundation

/// The JSON text a row keeps in its `document` column (tasks, services, deployments): the members
/// of the ECS shape that no query filters on. An unreadable document reads as empty (`init()`):
/// the row's own columns still describe the resource.
protocol StoredDocument: Codable {
    init()
}

extension StoredDocument {
    static func decode(_ text: String) -> Self {
        (try? JSONDecoder().decode(Self.self, from: Data(text.utf8))) ?? Self()
    }

    /// The JSON text stored in the row (sorted keys, so equal documents are equal text).
    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
