import GRDB
import Scheduler

extension ECSAPI {
    /// Creates tasks: validates `request` as RunTask / StartTask do, places the tasks (or checks
    /// the named instances), and in one transaction records them (PROVISIONING, desired
    /// RUNNING, their reservations taken from their instances) with their tags. Then tells the
    /// ``taskObserver`` so the reconciler starts them. A request that fails changes nothing.
    ///
    /// Tasks that could not be placed are `failures` (per instance, ECS's reasons), not errors.
    public func launchTasks(_ request: TaskLaunchRequest, context: ECSRequestContext) throws(ECSError) -> TaskLaunchResult {
        let (records, failures) = try launchTaskRecords(request, context: context)
        let tasks = try snapshot { db in
            try TaskRendering.render(db, records, withTags: true).map { task in
                var task = task
                if task.tags?.isEmpty == true { task.tags = nil }
                return task
            }
        }
        return TaskLaunchResult(tasks: tasks, failures: failures, taskIDs: records.map(\.id))
    }

    /// ``launchTasks(_:context:)`` without rendering the tasks: the rows created and the failures
    /// (what the service controller needs).
    func launchTaskRecords(_ request: TaskLaunchRequest, context: ECSRequestContext) throws(ECSError)
        -> (records: [TaskRecord], failures: [ECSFailure]) {
        let startedBy = try TaskValidation.startedBy(request.startedBy)
        let group = try TaskValidation.group(request.group)
        try TaskValidation.overrides(request.overrides)
        try TaskValidation.networkConfiguration(request.networkConfiguration)
        var tags = try TagValidation.validate(request.tags)
        switch request.placement {
        case .scheduler(let count, _, _):
            _ = try TaskValidation.count(count)
        case .instances(let references):
            let references = try RequestValidation.required(references, "containerInstances")
            try RequestValidation.atMost(references, TaskValidation.maxStartTaskInstances, member: "containerInstances")
        }
        let reference = try TaskDefinitionReference.parse(
            try RequestValidation.required(request.taskDefinition, "taskDefinition", .invalidParameterException), context)
        let now = context.timestamp
        // The revision and what its tasks need are worked out before the write transaction:
        // revisions never change but for their status, checked again inside it. A retry of a
        // RunTask that stands is answered first, in the same snapshot: the first call
        // succeeded, so the retry does even if its revision has gone since.
        let prepared = try snapshot { db -> PreparedLaunch in
            if let token = request.clientToken,
                case .answered(let records, let failures) = try Self.earlierLaunch(
                    db, token: token, clusterName: try ClusterReference.activeName(db, request.cluster, context), now: now) {
                return .answered(records: records, failures: failures)
            }
            guard let definition = try reference.resolve(db) else {
                throw ECSError(.clientException, "TaskDefinition not found.")
            }
            try Self.checkUsable(definition.status, forService: request.serviceArn != nil)
            var launch = request
            if let strategy = request.capacityProviderStrategy {
                let clusterName = try ClusterReference.activeName(db, request.cluster, context)
                guard let capacity = try ClusterRecord.capacity(db, name: clusterName) else { throw ECSError.clusterNotFound }
                let resolved = try TaskValidation.capacityProviderLaunch(strategy, capacity: capacity)
                launch.launchType = resolved.launchType
                launch.capacityProviderName = resolved.capacityProvider
            }
            launch.group = group ?? TaskRequirement.defaultGroup(family: definition.family)
            launch.startedBy = startedBy
            return .launch(definition, launch, try TaskBlueprint(definition: definition, request: launch))
        }
        let (definition, launch, blueprint): (TaskDefinitionRecord, TaskLaunchRequest, TaskBlueprint)
        switch prepared {
        case .answered(let records, let failures): return (records, failures)
        case .launch(let found, let request, let needs): (definition, launch, blueprint) = (found, request, needs)
        }

        let result = try transaction { db -> (records: [TaskRecord], failures: [ECSFailure], replayed: Bool) in
            let clusterName = try ClusterReference.activeName(db, request.cluster, context)
            // Again inside the write lock: a concurrent first call with the token may have won.
            if let token = request.clientToken {
                switch try Self.earlierLaunch(db, token: token, clusterName: clusterName, now: now) {
                case .none: break
                case .answered(let records, let failures): return (records, failures, true)
                case .ended(let record): try record.delete(db)
                }
            }
            guard let status = try TaskDefinitionRecord.fetchOne(db, key: definition.arn)?.status else {
                throw ECSError(.clientException, "TaskDefinition not found.")
            }
            try Self.checkUsable(status, forService: request.serviceArn != nil)
            if request.propagateTaskDefinitionTags {
                let inherited = try TagRecord.tags(db, resourceArn: definition.arn)
                tags = inherited.filter { tag in !tags.contains { $0.key == tag.key } } + tags
                if tags.count > TagValidation.maxTagsPerResource {
                    throw ECSError(.invalidParameterException,
                                   "A resource can have at most \(TagValidation.maxTagsPerResource) tags; \(tags.count) would be set.")
                }
            }

            if request.enableECSManagedTags {
                tags += ECSManagedTags.tags(clusterName: clusterName, serviceArn: request.serviceArn)
            }
            let (placements, failures) = try place(db, launch, blueprint: blueprint, cluster: clusterName, context: context)
            var records: [TaskRecord] = []
            for instance in placements {
                let id = ECSResourceID.random()
                let document = blueprint.document(taskID: id, clusterName: clusterName, context: context, request: launch,
                                                  instance: instance)
                let record = TaskRecord(
                    id: id, arn: context.arn(.task(cluster: clusterName, id: id)).description, clusterName: clusterName,
                    taskDefinitionArn: definition.arn, containerInstanceId: instance.id, launchType: launch.launchType,
                    serviceArn: launch.serviceArn, startedBy: startedBy, group: launch.group,
                    desiredStatus: .running, lastStatus: .provisioning,
                    reservedCPU: blueprint.requirement.cpu, reservedMemory: blueprint.requirement.memory,
                    reservedPorts: blueprint.hostTCPPorts, reservedUDPPorts: blueprint.hostUDPPorts,
                    createdAt: now, version: 1, document: document.encodedForTask(id))
                try record.insert(db)
                try TagRecord.merge(db, resourceArn: record.arn, tags: tags)
                records.append(record)
            }
            if let token = request.clientToken {
                try Self.recordLaunch(db, token: token, clusterName: clusterName, records: records, failures: failures, now: now)
            }
            return (records, failures, false)
        }
        if !result.replayed && !result.records.isEmpty {
            taskObserver?.desiredStateChanged(taskIDs: result.records.map(\.id))
        }
        return (result.records, result.failures)
    }

    /// What a launch's snapshot found: the answer of an earlier RunTask with the same client
    /// token, or the revision and what its tasks need.
    private enum PreparedLaunch {
        case answered(records: [TaskRecord], failures: [ECSFailure])
        case launch(TaskDefinitionRecord, TaskLaunchRequest, TaskBlueprint)
    }

    /// ECS: an INACTIVE revision runs no new standalone tasks, but "existing services that
    /// reference an INACTIVE task definition can still scale up".
    private static func checkUsable(_ status: ECSTaskDefinitionStatus, forService: Bool) throws(ECSError) {
        guard status == .active || (status == .inactive && forService) else {
            throw ECSError(.clientException, "TaskDefinition is inactive")
        }
    }

    /// Where the tasks of `request` go: the instance of each task placed, and ECS's failures.
    private func place(_ db: Database, _ request: TaskLaunchRequest, blueprint: TaskBlueprint, cluster: String,
                       context: ECSRequestContext) throws -> (placements: [ContainerInstanceCandidate], failures: [ECSFailure]) {
        switch request.placement {
        case .scheduler(let count, let strategies, let constraints):
            let records: [ContainerInstanceRecord]
            if request.launchType == .fargate {
                if !strategies.isEmpty || !constraints.isEmpty {
                    throw ECSError(.invalidParameterException,
                                   "Task placement strategies and constraints are not supported for the FARGATE launch type.")
                }
                records = try TaskPlacementCandidates.fargateCapacity(db)
                if records.isEmpty {
                    return ([], [ECSFailure(arn: nil, reason: "Capacity is unavailable at this time. Please try again later or in a different availability zone")])
                }
            } else {
                records = try TaskPlacementCandidates.ofCluster(db, cluster: cluster)
                if records.isEmpty {
                    throw ECSError(.invalidParameterException, "No Container Instances were found in your cluster.")
                }
            }
            var state = ClusterState(instances: try TaskPlacementCandidates.candidates(db, records))
            let result: PlacementResult
            do {
                result = try state.place(count: count, requirement: blueprint.requirement, strategies: strategies,
                                         constraints: blueprint.definitionConstraints + constraints,
                                         randomSeed: UInt64.random(in: 0...UInt64.max))
            } catch {
                throw ECSError(.invalidParameterException, error.message)
            }
            let placed = result.placements.compactMap { placement in
                state.instances.first { $0.id == placement.instanceId }
            }
            return (placed, result.failures.map { ECSFailure(arn: $0.arn, reason: $0.reason.rawValue) })

        case .instances(let references):
            if request.launchType == .fargate {
                throw ECSError(.invalidParameterException, "StartTask does not support the FARGATE launch type.")
            }
            var candidates: [String: ContainerInstanceCandidate] = [:]
            var placed: [ContainerInstanceCandidate] = []
            var failures: [ECSFailure] = []
            for reference in references {
                guard let record = try ContainerInstanceReference.find(db, reference, cluster: cluster, context),
                      record.status != .inactive
                else {
                    failures.append(ECSFailure(arn: ContainerInstanceReference.failureARN(reference, cluster: cluster, context),
                                               reason: ECSFailure.missingReason))
                    continue
                }
                var candidate = try candidates[record.id] ?? TaskPlacementCandidates.candidates(db, [record])[0]
                // StartTask names its instance: a DRAINING instance takes the task as an ACTIVE one would.
                if candidate.status == .draining { candidate.status = .active }
                var state = ClusterState(instances: [candidate])
                let result: PlacementResult
                do {
                    result = try state.place(count: 1, requirement: blueprint.requirement, constraints: blueprint.definitionConstraints,
                                             randomSeed: UInt64.random(in: 0...UInt64.max))
                } catch {
                    throw ECSError(.invalidParameterException, error.message)
                }
                candidates[record.id] = state.instances[0]
                if result.placements.isEmpty {
                    let reason = result.failures.first?.reason.rawValue ?? "INSTANCE_NOT_ACTIVE"
                    failures.append(ECSFailure(arn: record.arn, reason: reason))
                } else {
                    placed.append(state.instances[0])
                }
            }
            return (placed, failures)
        }
    }
}
