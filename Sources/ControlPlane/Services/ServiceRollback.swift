import GRDB

/// Rolling a service back to the deployment that ran before (the circuit breaker's rollback
/// and StopServiceDeployment's), and StopServiceDeployment itself.
extension ECSAPI {
    /// Points `service` back at what `previous` ran (its revision and launch settings) and
    /// starts a deployment of that, which belongs to the service deployment being rolled back.
    static func rollBack(_ db: Database, service: inout ServiceRecord, to previous: DeploymentRecord,
                         cause: ServiceDeploymentHistory.RollbackCause, reason: String, now: Double) throws {
        let settings = DeploymentDocument.decode(previous.document)
        var document = ServiceDocument.decode(service.document)
        document.networkConfiguration = settings.networkConfiguration
        document.loadBalancers = settings.loadBalancers
        document.platformVersion = settings.platformVersion
        document.capacityProviderStrategy = settings.capacityProviderStrategy
        service.launchType = settings.capacityProviderStrategy == nil ? settings.launchType.flatMap(ECSLaunchType.init) : nil
        service.taskDefinitionArn = previous.taskDefinitionArn
        service.document = document.encoded()
        service.updatedAt = now
        service.version += 1
        try service.update(db)
        try startDeployment(db, service: service, document: document, now: now, reason: reason, rollback: cause)
        try ServiceEventLog.add(db, serviceArn: service.arn, message: ServiceEventLog.rollingBack(service.name, to: previous.id), now: now)
    }

    /// StopServiceDeployment: rolls a service deployment that is going on back to the revision
    /// the service ran before it (`stopType` ROLLBACK, the default; whether or not the service
    /// has rollback configured). One rolling back already goes on as it is; one that has ended,
    /// or that has nothing before it, cannot be stopped.
    func stopServiceDeployment(_ request: StopServiceDeploymentRequest, _ context: ECSRequestContext)
        throws(ECSError) -> StopServiceDeploymentResponse
    {
        let arn = try RequestValidation.required(request.serviceDeploymentArn, "serviceDeploymentArn")
        if let stopType = request.stopType {
            try RequestValidation.oneOf(stopType, ["ABORT", "ROLLBACK"], member: "stopType")
            guard stopType == "ROLLBACK" else {
                throw ECSError(.invalidParameterException, "The stop type ABORT is not supported; use ROLLBACK.")
            }
        }
        let now = context.timestamp
        let serviceArn = try transaction { db -> String in
            guard let (found, id) = try Self.serviceScoped(db, arn, context, deployments: true),
                  let record = try ServiceDeploymentRecord.fetchOne(db, key: id), record.serviceArn == found.arn
            else {
                throw ECSError(.serviceDeploymentNotFoundException, "The service deployment \(arn) does not exist.")
            }
            switch record.status {
            case .rollbackRequested, .rollbackInProgress, .stopRequested:
                return found.arn
            case .successful, .stopped, .rollbackSuccessful, .rollbackFailed:
                throw ECSError(.conflictException, "The service deployment is \(record.status.rawValue) and cannot be stopped.")
            case .pending, .inProgress:
                break
            }
            guard var service = try ServiceRecord.fetchOne(db, key: found.arn), service.status == .active else {
                throw ECSError(.serviceNotActiveException, "Service was not ACTIVE.")
            }
            let sources = ServiceDeploymentDocument.decode(record.document).sourceRevisionIds
            let live = try DeploymentRecord.filter(Column("serviceArn") == service.arn).fetchAll(db)
            guard let previous = sources.reversed().lazy.compactMap({ revision in
                live.first { ServiceDeploymentHistory.revisionID(ofDeployment: $0.id) == revision }
            }).first else {
                throw ECSError(.invalidParameterException,
                               "The service deployment has no earlier service revision still running to roll back to.")
            }
            if var primary = live.first(where: { $0.status == .primary }) {
                try primary.markFailed(db, reason: "Rolled back by StopServiceDeployment.", now: now)
            }
            try Self.rollBack(db, service: &service, to: previous, cause: .stopRequest,
                              reason: "Service deployment rolled back on request (StopServiceDeployment).", now: now)
            return service.arn
        }
        serviceObserver?.serviceChanged(arn: serviceArn)
        return StopServiceDeploymentResponse(serviceDeploymentArn: arn)
    }
}

extension DeploymentRecord {
    /// Ends this deployment's rollout as FAILED (the circuit breaker's, or a rollback asked for).
    mutating func markFailed(_ db: Database, reason: String, now: Double) throws {
        rolloutState = .failed
        rolloutStateReason = reason
        updatedAt = now
        try update(db)
    }
}
