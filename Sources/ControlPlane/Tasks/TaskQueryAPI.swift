import AWSProtocol
import Foundation
import GRDB

/// DescribeTasks and ListTasks.
extension ECSAPI {
    /// DescribeTasks: up to 100 task IDs or ARNs of one cluster; unknown ones (or ones stopped
    /// so long ago they were removed) are failures `MISSING`. `include: ["TAGS"]` adds tags.
    /// Each task's JSON comes from the store's ``TaskJSONCache`` while its row is unchanged.
    func describeTasks(_ request: DescribeTasksRequest, _ context: ECSRequestContext) throws(ECSError) -> EncodedTasksResponse {
        let references = try RequestValidation.required(request.tasks, "tasks")
        try RequestValidation.atMost(references, TaskValidation.maxDescribe, member: "tasks")
        for value in request.include ?? [] {
            try RequestValidation.oneOf(value, TaskValidation.includeFields, member: "include")
        }
        let withTags = (request.include ?? []).contains("TAGS")
        let (sources, failures) = try snapshot { db in
            let clusterName = try ClusterReference.existingName(db, request.cluster, context)
            // One query for every task named (not one per reference: each statement SQLite
            // compiles costs more than reading the rows), compiled once per number of tasks.
            let ids = references.map { TaskReference.id($0, cluster: clusterName, context) }
            let wanted = Array(Set(ids.compactMap { $0 }))
            let rows = try TaskRecord.fetchAll(db, ids: wanted)
            let byID = Dictionary(rows.filter { $0.clusterName == clusterName }.map { ($0.id, $0) },
                                  uniquingKeysWith: { first, _ in first })
            var found: [TaskRecord] = []
            var seen: Set<String> = []
            var failures: [ECSFailure] = []
            for (reference, id) in zip(references, ids) {
                if let id, let record = byID[id] {
                    if seen.insert(record.id).inserted { found.append(record) }
                } else {
                    failures.append(ECSFailure(arn: TaskReference.failureARN(reference, cluster: clusterName, context),
                                               reason: ECSFailure.missingReason))
                }
            }
            return (try TaskRendering.sources(db, found, withTags: withTags), failures)
        }
        var tasks: [Data] = []
        tasks.reserveCapacity(sources.count)
        for source in sources {
            tasks.append(try store.encodedTasks.json(source, render: TaskRendering.render))
        }
        return EncodedTasksResponse(tasks: tasks, failures: failures)
    }

    /// ListTasks: the ARNs of the cluster's tasks whose desired status is `desiredStatus`
    /// (RUNNING by default; PENDING matches nothing, as ECS never wants PENDING; STOPPED lists
    /// tasks stopped within ``TaskRetention/stoppedTaskVisibility``), narrowed by family, service,
    /// `startedBy`, container instance and launch type; ordered by task ID, paginated.
    func listTasks(_ request: ListTasksRequest, _ context: ECSRequestContext) throws(ECSError) -> ListTasksResponse {
        let operation = "ListTasks"
        let desired = request.desiredStatus ?? "RUNNING"
        try RequestValidation.oneOf(desired, TaskValidation.desiredStatuses, member: "desiredStatus")
        if let launchType = request.launchType {
            try RequestValidation.oneOf(launchType, TaskValidation.launchTypeFilters, member: "launchType")
        }
        let page = try PageRequest(operation: operation, maxResults: request.maxResults, nextToken: request.nextToken,
                                   limit: PaginationLimits.listTasks, keyCount: 1)
        let visibleSince = context.timestamp - TaskRetention.stoppedTaskVisibility
        let records = try snapshot { db -> [(id: String, arn: String)] in
            let clusterName = try ClusterReference.existingName(db, request.cluster, context)
            guard desired != "PENDING" else { return [] }
            var query = TaskRecord.filter(Column("clusterName") == clusterName && Column("desiredStatus") == desired)
            if desired == "STOPPED" {
                query = query.filter(Column("stoppedAt") == nil || Column("stoppedAt") >= visibleSince)
            }
            if let family = request.family, !family.isEmpty {
                let prefix = context.arn(.taskDefinition(family: family, revision: nil)).description + ":"
                query = query.filter(sql: "substr(taskDefinitionArn, 1, ?) = ?", arguments: [prefix.utf8.count, prefix])
            }
            if let name = request.serviceName, !name.isEmpty {
                let arn = context.arn(.service(cluster: clusterName, name: name)).description
                guard try ServiceRecord.fetchOne(db, key: arn) != nil else {
                    throw ECSError(.serviceNotFoundException, "Service not found.")
                }
                query = query.filter(Column("serviceArn") == arn)
            }
            if let startedBy = request.startedBy, !startedBy.isEmpty {
                query = query.filter(Column("startedBy") == startedBy)
            }
            if let instance = request.containerInstance, !instance.isEmpty {
                guard let id = ContainerInstanceReference.id(instance, cluster: clusterName, context) else { return [] }
                // FARGATE tasks use the host's capacity but, as in ECS, belong to no instance.
                query = query.filter(Column("containerInstanceId") == id && Column("launchType") != ECSLaunchType.fargate)
            }
            if let launchType = request.launchType {
                query = query.filter(Column("launchType") == launchType)
            }
            if let after = page.after { query = query.filter(Column("id") > after[0]) }
            // Only the two columns answered: rows' documents are neither read nor copied.
            return try Row.fetchAll(db, query.select(Column("id"), Column("arn")).order(Column("id")).limit(page.size + 1))
                .map { row -> (id: String, arn: String) in (id: row["id"], arn: row["arn"]) }
        }
        let (items, token) = page.page(records) { [$0.id] }
        return ListTasksResponse(taskArns: items.map(\.arn), nextToken: token)
    }
}
