import GRDB

/// RegisterContainerInstance, DeregisterContainerInstance, UpdateContainerInstancesState.
extension ECSAPI {
    /// RegisterContainerInstance (what an agent calls; Wharf's local host registers through it).
    /// Registering with the ARN of a known instance, or with the `instanceId` of a registered
    /// one, updates that instance (same ARN, `version + 1`) instead of adding another. The
    /// agent's attributes replace those it registered before; custom attributes stay.
    func registerContainerInstance(_ request: RegisterContainerInstanceRequest, _ context: ECSRequestContext) throws(ECSError) -> ContainerInstanceResponse {
        let resources = try ContainerInstanceValidation.resources(request.totalResources ?? [])
        var attributes: [(name: String, value: String?)] = []
        for attribute in request.attributes ?? [] {
            let name = try AttributeValidation.name(attribute.name)
            attributes.append((name, try AttributeValidation.value(attribute.value, name: name)))
        }
        try ContainerInstanceValidation.platformDevices(request.platformDevices ?? [])
        let tags = try TagValidation.validate(request.tags ?? [])
        let ec2InstanceId = try ContainerInstanceValidation.instanceID(fromIdentityDocument: request.instanceIdentityDocument)
        let now = context.timestamp
        let newID = ECSResourceID.random()

        return try transaction { db in
            let cluster = try ClusterReference.active(db, request.cluster, context)
            var existing: ContainerInstanceRecord?
            if let arn = request.containerInstanceArn {
                guard let found = try ContainerInstanceReference.find(db, arn, cluster: cluster.name, context) else {
                    throw ECSError(.invalidParameterException, "Container instance \(arn) is not registered in cluster \(cluster.name).")
                }
                existing = found
            } else if let ec2InstanceId {
                existing = try ContainerInstanceRecord
                    .filter(Column("clusterName") == cluster.name && Column("ec2InstanceId") == ec2InstanceId
                            && Column("status") != ECSContainerInstanceStatus.inactive)
                    .fetchOne(db)
            }

            var record: ContainerInstanceRecord
            if var again = existing {
                again.status = .active
                again.statusReason = nil
                again.agentConnected = true
                again.version += 1
                again.versionInfo = request.versionInfo ?? again.versionInfo
                again.registeredResources = resources
                again.platformDevices = request.platformDevices ?? again.platformDevices
                again.ec2InstanceId = ec2InstanceId ?? again.ec2InstanceId
                again.instanceIdentityDocument = request.instanceIdentityDocument ?? again.instanceIdentityDocument
                again.deregisteredAt = nil
                try again.update(db)
                try AttributeRecord
                    .filter(Column("targetType") == ECSAttribute.containerInstanceTargetType && Column("targetId") == again.id
                            && Column("source") == AttributeRecord.Source.agent.rawValue)
                    .deleteAll(db)
                record = again
            } else {
                record = ContainerInstanceRecord(
                    id: newID, arn: context.arn(.containerInstance(cluster: cluster.name, id: newID)).description,
                    clusterName: cluster.name, ec2InstanceId: ec2InstanceId, status: .active, agentConnected: true,
                    version: 1, versionInfo: request.versionInfo ?? ECSVersionInfo(), registeredResources: resources,
                    platformDevices: request.platformDevices ?? [], instanceIdentityDocument: request.instanceIdentityDocument,
                    registeredAt: now)
                try record.insert(db)
            }
            for attribute in attributes {
                try AttributeRecord(clusterName: cluster.name, targetId: record.id, name: attribute.name,
                                    value: attribute.value, source: .agent).save(db)
            }
            try TagRecord.merge(db, resourceArn: record.arn, tags: tags)
            return ContainerInstanceResponse(containerInstance: try ContainerInstanceRendering.renderOne(db, record))
        }
    }

    /// DeregisterContainerInstance: refused while tasks on the instance still hold resources,
    /// unless `force` (those tasks are then orphaned, as in ECS: they keep running, and the
    /// service controller replaces service tasks elsewhere). The instance becomes INACTIVE and
    /// stays describable.
    func deregisterContainerInstance(_ request: DeregisterContainerInstanceRequest, _ context: ECSRequestContext) throws(ECSError) -> ContainerInstanceResponse {
        let reference = try RequestValidation.required(request.containerInstance, "containerInstance")
        let now = context.timestamp
        return try transaction { db in
            let cluster = try ClusterReference.active(db, request.cluster, context)
            guard var record = try ContainerInstanceReference.find(db, reference, cluster: cluster.name, context),
                  record.status != .inactive
            else {
                throw ECSError(.invalidParameterException, "The referenced container instance \(reference) was not found in cluster \(cluster.name).")
            }
            let usage = try ContainerInstanceUsage.fetch(db, instanceIDs: [record.id])[record.id] ?? ContainerInstanceUsage()
            if usage.activeTasks > 0, request.force != true {
                throw ECSError(.invalidParameterException,
                               "The container instance has \(usage.activeTasks) tasks that are not stopped. Stop them first or deregister with force.")
            }
            record.status = .inactive
            record.version += 1
            record.deregisteredAt = now
            try record.update(db)
            return ContainerInstanceResponse(containerInstance: try ContainerInstanceRendering.renderOne(db, record))
        }
    }

    /// UpdateContainerInstancesState: up to 10 instances to ACTIVE or DRAINING. The state is
    /// stored (`version + 1` when it changes); the service controller acts on DRAINING. Missing
    /// or deregistered instances are failures `MISSING`; instances in a transitional state are
    /// failures too.
    func updateContainerInstancesState(_ request: UpdateContainerInstancesStateRequest, _ context: ECSRequestContext) throws(ECSError) -> ContainerInstancesResponse {
        let references = try RequestValidation.required(request.containerInstances, "containerInstances")
        try RequestValidation.atMost(references, ContainerInstanceValidation.maxUpdateState, member: "containerInstances")
        let statusText = try RequestValidation.required(request.status, "status")
        try RequestValidation.oneOf(statusText, ContainerInstanceValidation.requestStatuses, member: "status")
        guard let target = ECSContainerInstanceStatus(rawValue: statusText),
              ECSContainerInstanceStatus.settableByUpdate.contains(target)
        else {
            throw ECSError(.invalidParameterException, "Container instances can only be updated to ACTIVE or DRAINING.")
        }
        return try transaction { db in
            let cluster = try ClusterReference.active(db, request.cluster, context)
            var updated: [ContainerInstanceRecord] = []
            var failures: [ECSFailure] = []
            for reference in references {
                guard var record = try ContainerInstanceReference.find(db, reference, cluster: cluster.name, context),
                      record.status != .inactive
                else {
                    failures.append(ECSFailure(arn: ContainerInstanceReference.failureARN(reference, cluster: cluster.name, context),
                                               reason: ECSFailure.missingReason))
                    continue
                }
                guard record.status.canUpdate(to: target) else {
                    failures.append(ECSFailure(arn: record.arn, reason: "INVALID_STATE",
                                               detail: "A container instance in status \(record.status.rawValue) cannot be updated."))
                    continue
                }
                if record.status != target {
                    record.status = target
                    record.version += 1
                    try record.update(db)
                }
                if !updated.contains(where: { $0.id == record.id }) { updated.append(record) }
            }
            return ContainerInstancesResponse(
                containerInstances: try ContainerInstanceRendering.render(db, updated, withTags: false), failures: failures)
        }
    }
}
