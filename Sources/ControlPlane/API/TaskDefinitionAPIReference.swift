import GRDB

/// How a request names a task definition: `family` (its latest ACTIVE revision),
/// `family:revision`, or the full ARN (`arn:aws:ecs:REGION:ACCOUNT:task-definition/family:revision`).
enum TaskDefinitionReference: Equatable {
    case latest(family: String)
    case revision(family: String, revision: Int)
    /// A well-formed reference to nothing this account can have (an ARN of another region or
    /// account, of another resource type, or a family name ECS would never accept).
    case nonexistent

    /// Parses `text`. A revision that is not a positive integer is a ClientException
    /// ("Invalid revision number. Number: x"), as ECS answers.
    static func parse(_ text: String, _ context: ECSRequestContext) throws(ECSError) -> TaskDefinitionReference {
        if ECSARN.looksLikeARN(text) {
            guard let arn = ECSARN(parsing: text) else {
                if text.contains("task-definition/"), let colon = text.lastIndex(of: ":") {
                    throw invalidRevision(String(text[text.index(after: colon)...]))
                }
                return .nonexistent
            }
            guard context.owns(arn), case .taskDefinition(let family, let revision) = arn.resource else { return .nonexistent }
            guard TaskDefinitionRules.isValidName(family) else { return .nonexistent }
            return revision.map { .revision(family: family, revision: $0) } ?? .latest(family: family)
        }
        guard let colon = text.lastIndex(of: ":") else {
            return TaskDefinitionRules.isValidName(text) ? .latest(family: text) : .nonexistent
        }
        let family = String(text[..<colon])
        let number = String(text[text.index(after: colon)...])
        guard let revision = Int(number), revision > 0 else { throw invalidRevision(number) }
        return TaskDefinitionRules.isValidName(family) ? .revision(family: family, revision: revision) : .nonexistent
    }

    static func invalidRevision(_ number: String) -> ECSError {
        ECSError(.clientException, "Invalid revision number. Number: \(number)")
    }

    /// The ARN a failure reports for `text` (the ARN itself, or the ARN `family:revision` would have).
    static func failureARN(_ text: String, _ context: ECSRequestContext) -> String {
        if ECSARN.looksLikeARN(text) { return text }
        guard let colon = text.lastIndex(of: ":"), let revision = Int(text[text.index(after: colon)...]) else {
            return context.arn(.taskDefinition(family: text, revision: nil)).description
        }
        return context.arn(.taskDefinition(family: String(text[..<colon]), revision: revision)).description
    }

    /// The revision this reference names, if it exists.
    func resolve(_ db: Database) throws -> TaskDefinitionRecord? {
        switch self {
        case .latest(let family): try TaskDefinitionRecord.latestActive(db, family: family)
        case .revision(let family, let revision): try TaskDefinitionRecord.find(db, family: family, revision: revision)
        case .nonexistent: nil
        }
    }
}
