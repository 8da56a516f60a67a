import Foundation
import GRDB

/// RegisterTaskDefinition, DeregisterTaskDefinition, DeleteTaskDefinitions.
extension ECSAPI {
    /// ECS quota: revisions per task definition family.
    static let maxRevisionsPerFamily = 1_000_000
    /// DeleteTaskDefinitions: "You can specify up to 10 task definitions".
    static let maxDeleteTaskDefinitions = 10
    /// ECS: a task definition is at most 64 KiB ("Actual length: 'N'. Max allowed length is
    /// '65536' bytes."), measured here on the request body.
    static let maxTaskDefinitionBytes = 65_536

    /// RegisterTaskDefinition: decodes and validates the definition as ECS does (ClientException
    /// with ECS's wording), stores it as the family's next revision in its registered form, and
    /// tags it.
    func registerTaskDefinition(_ body: Data, _ context: ECSRequestContext) throws(ECSError) -> RegisterTaskDefinitionResponse {
        guard body.count <= Self.maxTaskDefinitionBytes else {
            throw ECSError(.clientException, "Actual length: '\(body.count)'. Max allowed length is '\(Self.maxTaskDefinitionBytes)' bytes.")
        }
        let request: TaskDefinition
        do {
            request = try TaskDefinition.decode(from: ECSJSONCoding.normalized(body))
            try request.validate()
        } catch {
            throw ECSError(Self.kind(of: error.code), error.message)
        }
        let tags = try TagValidation.validate((request.tags ?? []).map { ECSTag(key: $0.key, value: $0.value) })
        guard let family = request.family else { throw .missing("family", .clientException) }
        let document = TaskDefinitionRegistrationForm.make(from: request)
        let now = context.timestamp

        return try transaction { db in
            var familyRow = try TaskDefinitionFamilyRecord.fetchOne(db, key: family)
                ?? TaskDefinitionFamilyRecord(family: family, lastRevision: 0)
            guard familyRow.lastRevision < Self.maxRevisionsPerFamily else {
                throw ECSError(.limitExceededException,
                               "The task definition family \(family) has reached its limit of \(Self.maxRevisionsPerFamily) revisions.")
            }
            familyRow.lastRevision += 1
            try familyRow.save(db)
            let revision = familyRow.lastRevision
            let record = TaskDefinitionRecord(
                arn: context.arn(.taskDefinition(family: family, revision: revision)).description,
                family: family, revision: revision, status: .active, document: document,
                registeredAt: now, registeredBy: context.callerARN)
            try record.insert(db)
            try TagRecord.merge(db, resourceArn: record.arn, tags: tags)
            return RegisterTaskDefinitionResponse(taskDefinition: record.rendered, tags: tags.isEmpty ? nil : tags)
        }
    }

    /// DeregisterTaskDefinition: `family:revision` or ARN (a revision is required). ACTIVE becomes
    /// INACTIVE; an INACTIVE revision is returned as it is.
    func deregisterTaskDefinition(_ request: DeregisterTaskDefinitionRequest, _ context: ECSRequestContext) throws(ECSError) -> DeregisterTaskDefinitionResponse {
        let text = try RequestValidation.required(request.taskDefinition, "taskDefinition", .clientException)
        let reference = try TaskDefinitionReference.parse(text, context)
        if case .latest = reference { throw TaskDefinitionReference.invalidRevision("") }
        let now = context.timestamp
        return try transaction { db in
            guard var record = try reference.resolve(db) else {
                throw ECSError(.clientException, "The specified task definition does not exist.")
            }
            switch record.status {
            case .active:
                record.status = .inactive
                record.deregisteredAt = now
                try record.update(db)
            case .inactive:
                break
            case .deleteInProgress:
                throw ECSError(.clientException, "The specified task definition is in the process of being deleted.")
            }
            return DeregisterTaskDefinitionResponse(taskDefinition: record.rendered)
        }
    }

    /// DeleteTaskDefinitions: up to 10 `family:revision` or ARNs. INACTIVE revisions move to
    /// DELETE_IN_PROGRESS (they are removed for good by ``TaskDefinitionRecord/purgeUnreferenced(_:)``
    /// once nothing uses them); revisions already DELETE_IN_PROGRESS are returned again; missing
    /// and ACTIVE revisions are failures.
    func deleteTaskDefinitions(_ request: DeleteTaskDefinitionsRequest, _ context: ECSRequestContext) throws(ECSError) -> DeleteTaskDefinitionsResponse {
        let texts = try RequestValidation.required(request.taskDefinitions, "taskDefinitions")
        if texts.count > Self.maxDeleteTaskDefinitions {
            throw ECSError(.invalidParameterException,
                           "You can specify up to \(Self.maxDeleteTaskDefinitions) task definitions; \(texts.count) were given.")
        }
        var references: [(text: String, reference: TaskDefinitionReference)] = []
        for text in texts {
            let reference = try TaskDefinitionReference.parse(text, context)
            if case .latest = reference { throw TaskDefinitionReference.invalidRevision("") }
            references.append((text, reference))
        }
        let now = context.timestamp
        return try transaction { db in
            var deleted: [TaskDefinition] = []
            var failures: [ECSFailure] = []
            for (text, reference) in references {
                guard var record = try reference.resolve(db) else {
                    failures.append(ECSFailure(arn: TaskDefinitionReference.failureARN(text, context),
                                               reason: ECSFailure.missingReason))
                    continue
                }
                switch record.status {
                case .active:
                    failures.append(ECSFailure(
                        arn: record.arn, reason: "TASK_DEFINITION_ACTIVE",
                        detail: "The task definition is ACTIVE. Deregister it before deleting it."))
                case .inactive:
                    record.status = .deleteInProgress
                    record.deleteRequestedAt = now
                    try record.update(db)
                    deleted.append(record.rendered)
                case .deleteInProgress:
                    deleted.append(record.rendered)
                }
            }
            return DeleteTaskDefinitionsResponse(taskDefinitions: deleted, failures: failures)
        }
    }

    /// The ECS exception for a task definition check's code.
    static func kind(of code: TaskDefinitionError.Code) -> ECSError.Kind {
        switch code {
        case .clientException: .clientException
        case .invalidParameterException: .invalidParameterException
        case .serializationException: .serializationException
        case .unsupportedFeatureException: .unsupportedFeatureException
        }
    }
}
