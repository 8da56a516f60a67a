import GRDB

/// The store's tables, created by numbered migrations. A migration, once shipped, is never
/// edited: schema changes are new migrations appended to ``migrator``.
///
/// JSON columns hold the members an API returns but never queries by (settings, resources,
/// documents); everything a query filters or sorts on is a column of its own.
public enum StoreSchema {
    /// Identifiers of the migrations, in the order they run: the ones ``migrator`` registers.
    public static var migrationIdentifiers: [String] { migrator.migrations }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ecs-resources") { db in
            try createClusterTables(db)
            try createTaskDefinitionTables(db)
            try createContainerInstanceTables(db)
            try createTaskAndServiceTables(db)
            try createTagTable(db)
        }
        // ListTasks: a cluster's tasks of one desired status in task ID order, read a page at
        // a time straight from the index instead of sorting every task of the cluster.
        migrator.registerMigration("v2-task-list-index") { db in
            try db.create(index: "task_cluster_desired_id", on: TaskRecord.databaseTableName,
                          columns: ["clusterName", "desiredStatus", "id"])
        }
        // RunTask client tokens (idempotent retries), kept 24 hours.
        migrator.registerMigration("v3-run-task-client-tokens") { db in
            try db.create(table: RunTaskClientTokenRecord.databaseTableName) { t in
                t.column("clusterName", .text).notNull()
                t.column("token", .text).notNull()
                t.column("request", .text).notNull()                      // canonical JSON of the request
                t.column("taskIds", .text).notNull()                      // JSON [String]
                t.column("failures", .text).notNull()                     // JSON [ECSFailure]
                t.column("createdAt", .double).notNull()
                t.primaryKey(["clusterName", "token"])
            }
            try db.create(index: "runTaskClientToken_createdAt", on: RunTaskClientTokenRecord.databaseTableName,
                          columns: ["createdAt"])
        }
        // Account settings (PutAccountSetting, PutAccountSettingDefault).
        migrator.registerMigration("v4-account-settings") { db in
            try db.create(table: AccountSettingRecord.databaseTableName) { t in
                t.column("principalArn", .text).notNull()
                t.column("name", .text).notNull()
                t.column("value", .text).notNull()
                t.primaryKey(["principalArn", "name"])
            }
        }
        // Service tasks' scale-in protection (UpdateTaskProtection).
        migrator.registerMigration("v5-task-protection") { db in
            try db.create(table: TaskProtectionRecord.databaseTableName) { t in
                t.primaryKey("taskId", .text)
                t.column("expiresAt", .double).notNull()
            }
        }
        // Service deployments and service revisions (ListServiceDeployments,
        // DescribeServiceDeployments, DescribeServiceRevisions): kept after the rollout that
        // made them ends, until their service row goes.
        migrator.registerMigration("v6-service-deployments") { db in
            try db.create(table: ServiceRevisionRecord.databaseTableName) { t in
                t.primaryKey("id", .text)
                t.column("serviceArn", .text).notNull()
                    .references(ServiceRecord.databaseTableName, onDelete: .cascade)
                t.column("createdAt", .double).notNull()
                t.column("document", .text).notNull()                     // JSON ServiceRevisionDocument
            }
            try db.create(index: "serviceRevision_service", on: ServiceRevisionRecord.databaseTableName,
                          columns: ["serviceArn"])
            try db.create(table: ServiceDeploymentRecord.databaseTableName) { t in
                t.primaryKey("id", .text)
                t.column("serviceArn", .text).notNull()
                    .references(ServiceRecord.databaseTableName, onDelete: .cascade)
                t.column("status", .text).notNull()
                t.column("targetRevisionId", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("updatedAt", .double).notNull()
                t.column("document", .text).notNull()                     // JSON ServiceDeploymentDocument
            }
            try db.create(index: "serviceDeployment_service_created", on: ServiceDeploymentRecord.databaseTableName,
                          columns: ["serviceArn", "createdAt"])
            // The deployments a service has at the upgrade get their revisions (their own
            // settings as the document; no container images, which are recorded from here on),
            // so the revisions DescribeServices names can be described. (A rollout going on at
            // the upgrade gets its service deployment in v7.)
            try db.execute(sql: """
                INSERT INTO serviceRevision (id, serviceArn, createdAt, document)
                SELECT substr(id, 9), serviceArn, createdAt,
                       json_insert(json_set(document, '$.taskDefinition', taskDefinitionArn,
                                            '$.serviceRegistries', json('[]'), '$.containerImages', json('[]')),
                                   '$.loadBalancers', json('[]'))
                FROM deployment WHERE id LIKE 'ecs-svc/%'
                """)
        }
        // A rollout going on at the upgrade to service deployments gets one: its primary as
        // the target, the service's other deployments as the sources, IN_PROGRESS from when the
        // primary was made.
        migrator.registerMigration("v7-service-deployments-in-progress") { db in
            try db.execute(sql: """
                INSERT INTO serviceDeployment (id, serviceArn, status, targetRevisionId, createdAt, updatedAt, document)
                SELECT substr(hex(randomblob(11)), 1, 21), d.serviceArn, 'IN_PROGRESS', substr(d.id, 9), d.createdAt, d.updatedAt,
                       json_object(
                           'startedAt', d.createdAt,
                           'sourceRevisionIds', (SELECT json_group_array(substr(o.id, 9)) FROM deployment o
                                                 WHERE o.serviceArn = d.serviceArn AND o.id != d.id AND o.status != 'INACTIVE'),
                           'deploymentConfiguration', json_extract(s.document, '$.deploymentConfiguration'),
                           'circuitBreakerTriggered', json('false'))
                FROM deployment d JOIN service s ON s.arn = d.serviceArn
                WHERE d.status = 'PRIMARY' AND d.rolloutState = 'IN_PROGRESS' AND s.status = 'ACTIVE' AND d.id LIKE 'ecs-svc/%'
                  AND NOT EXISTS (SELECT 1 FROM serviceDeployment x WHERE x.serviceArn = d.serviceArn
                                  AND x.status IN ('PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'))
                """)
        }
        // What placement reads of the tasks on instances (`ContainerInstanceUsage.fetch`, the
        // task counts per group in `TaskPlacementCandidates`), in one covering index: those
        // queries read it alone, not the task rows, each about a page with its document. Read
        // from the table, a thousand tasks made a RunTask's placement ~12 ms instead of ~1.5.
        // It starts with the column `task_instance` indexed, which it replaces.
        migrator.registerMigration("v8-task-placement-index") { db in
            try db.create(index: StoreSchema.taskPlacementIndex, on: TaskRecord.databaseTableName, columns: [
                "containerInstanceId", "lastStatus", "desiredStatus", "reservedCPU", "reservedMemory", "group",
                "reservedPorts", "reservedUDPPorts",
            ])
            try db.drop(index: "task_instance")
        }
        return migrator
    }

    /// The covering index of what placement reads of tasks (see the migration that makes it).
    static let taskPlacementIndex = "task_placement"

    private static func createClusterTables(_ db: Database) throws {
        try db.create(table: ClusterRecord.databaseTableName) { t in
            t.primaryKey("name", .text)
            t.column("arn", .text).notNull().unique()
            t.column("status", .text).notNull()
            t.column("settings", .text).notNull()                         // JSON [ClusterSetting]
            t.column("configuration", .text)                              // JSON ClusterConfiguration
            t.column("capacityProviders", .text).notNull()                // JSON [String]
            t.column("defaultCapacityProviderStrategy", .text).notNull()  // JSON [CapacityProviderStrategyItem]
            t.column("serviceConnectDefaults", .text)                     // JSON
            t.column("createdAt", .double).notNull()
            t.column("updatedAt", .double).notNull()
        }
    }

    private static func createTaskDefinitionTables(_ db: Database) throws {
        // One row per family ever registered: revision numbers are never reused, even after
        // every revision of the family has been deleted.
        try db.create(table: TaskDefinitionFamilyRecord.databaseTableName) { t in
            t.primaryKey("family", .text)
            t.column("lastRevision", .integer).notNull()
        }
        try db.create(table: TaskDefinitionRecord.databaseTableName) { t in
            t.primaryKey("arn", .text)
            t.column("family", .text).notNull()
                .references(TaskDefinitionFamilyRecord.databaseTableName, onDelete: .restrict)
            t.column("revision", .integer).notNull()
            t.column("status", .text).notNull()
            t.column("document", .text).notNull()                         // JSON TaskDefinition
            t.column("registeredAt", .double).notNull()
            t.column("registeredBy", .text)
            t.column("deregisteredAt", .double)
            t.column("deleteRequestedAt", .double)
            t.uniqueKey(["family", "revision"])
        }
        try db.create(index: "taskDefinition_status_family_revision", on: TaskDefinitionRecord.databaseTableName,
                      columns: ["status", "family", "revision"])
    }

    private static func createContainerInstanceTables(_ db: Database) throws {
        try db.create(table: ContainerInstanceRecord.databaseTableName) { t in
            t.primaryKey("id", .text)
            t.column("arn", .text).notNull().unique()
            t.column("clusterName", .text).notNull()
                .references(ClusterRecord.databaseTableName, onDelete: .restrict)
            t.column("ec2InstanceId", .text)
            t.column("status", .text).notNull()
            t.column("statusReason", .text)
            t.column("agentConnected", .boolean).notNull()
            t.column("version", .integer).notNull()
            t.column("versionInfo", .text).notNull()                      // JSON VersionInfo
            t.column("registeredResources", .text).notNull()              // JSON [Resource]
            t.column("platformDevices", .text).notNull()                  // JSON [PlatformDevice]
            t.column("capacityProviderName", .text)
            t.column("agentUpdateStatus", .text)
            t.column("instanceIdentityDocument", .text)
            t.column("registeredAt", .double).notNull()
            t.column("deregisteredAt", .double)
        }
        try db.create(index: "containerInstance_cluster_status", on: ContainerInstanceRecord.databaseTableName,
                      columns: ["clusterName", "status"])
        try db.create(index: "containerInstance_cluster_ec2", on: ContainerInstanceRecord.databaseTableName,
                      columns: ["clusterName", "ec2InstanceId"])

        try db.create(table: AttributeRecord.databaseTableName) { t in
            t.column("clusterName", .text).notNull()
            t.column("targetType", .text).notNull()
            t.column("targetId", .text).notNull()
            t.column("name", .text).notNull()
            t.column("value", .text)
            t.column("source", .text).notNull()
            t.primaryKey(["targetType", "targetId", "name"])
        }
        try db.create(index: "attribute_cluster_name", on: AttributeRecord.databaseTableName,
                      columns: ["clusterName", "targetType", "name"])
    }

    private static func createTaskAndServiceTables(_ db: Database) throws {
        try db.create(table: ServiceRecord.databaseTableName) { t in
            t.primaryKey("arn", .text)
            t.column("clusterName", .text).notNull()
                .references(ClusterRecord.databaseTableName, onDelete: .restrict)
            t.column("name", .text).notNull()
            t.column("status", .text).notNull()
            t.column("desiredCount", .integer).notNull()
            t.column("launchType", .text)
            t.column("schedulingStrategy", .text).notNull()
            t.column("taskDefinitionArn", .text).notNull()
            t.column("createdAt", .double).notNull()
            t.column("updatedAt", .double).notNull()
            t.column("version", .integer).notNull()
            t.column("document", .text).notNull()                         // JSON, the rest of Service
            t.uniqueKey(["clusterName", "name"])
        }
        try db.create(index: "service_cluster_status", on: ServiceRecord.databaseTableName,
                      columns: ["clusterName", "status"])

        try db.create(table: DeploymentRecord.databaseTableName) { t in
            t.primaryKey("id", .text)
            t.column("serviceArn", .text).notNull()
                .references(ServiceRecord.databaseTableName, onDelete: .cascade)
            t.column("status", .text).notNull()
            t.column("taskDefinitionArn", .text).notNull()
            t.column("desiredCount", .integer).notNull()
            t.column("rolloutState", .text)
            t.column("rolloutStateReason", .text)
            t.column("createdAt", .double).notNull()
            t.column("updatedAt", .double).notNull()
            t.column("document", .text).notNull()                         // JSON, the rest of Deployment
        }
        try db.create(index: "deployment_service", on: DeploymentRecord.databaseTableName, columns: ["serviceArn"])

        try db.create(table: ServiceEventRecord.databaseTableName) { t in
            t.primaryKey("id", .text)
            t.column("serviceArn", .text).notNull()
                .references(ServiceRecord.databaseTableName, onDelete: .cascade)
            t.column("createdAt", .double).notNull()
            t.column("message", .text).notNull()
        }
        try db.create(index: "serviceEvent_service_time", on: ServiceEventRecord.databaseTableName,
                      columns: ["serviceArn", "createdAt"])

        try db.create(table: TaskRecord.databaseTableName) { t in
            t.primaryKey("id", .text)
            t.column("arn", .text).notNull().unique()
            t.column("clusterName", .text).notNull()
                .references(ClusterRecord.databaseTableName, onDelete: .restrict)
            t.column("taskDefinitionArn", .text).notNull()
            t.column("containerInstanceId", .text)
                .references(ContainerInstanceRecord.databaseTableName, onDelete: .restrict)
            t.column("launchType", .text).notNull()
            t.column("serviceArn", .text)
            t.column("startedBy", .text)
            t.column("group", .text)
            t.column("desiredStatus", .text).notNull()
            t.column("lastStatus", .text).notNull()
            t.column("reservedCPU", .integer).notNull()
            t.column("reservedMemory", .integer).notNull()
            t.column("reservedPorts", .text).notNull()                    // JSON [Int]
            t.column("reservedUDPPorts", .text).notNull()                 // JSON [Int]
            t.column("createdAt", .double).notNull()
            t.column("startedAt", .double)
            t.column("stoppingAt", .double)
            t.column("stoppedAt", .double)
            t.column("stopCode", .text)
            t.column("stoppedReason", .text)
            t.column("version", .integer).notNull()
            t.column("document", .text).notNull()                         // JSON, the rest of Task
        }
        try db.create(index: "task_cluster_status", on: TaskRecord.databaseTableName, columns: ["clusterName", "lastStatus"])
        try db.create(index: "task_instance", on: TaskRecord.databaseTableName, columns: ["containerInstanceId"])
        try db.create(index: "task_service", on: TaskRecord.databaseTableName, columns: ["serviceArn"])
        try db.create(index: "task_taskDefinition", on: TaskRecord.databaseTableName, columns: ["taskDefinitionArn"])
    }

    private static func createTagTable(_ db: Database) throws {
        try db.create(table: TagRecord.databaseTableName) { t in
            t.column("resourceArn", .text).notNull()
            t.column("key", .text).notNull()
            t.column("value", .text).notNull()
            t.column("position", .integer).notNull()
            t.primaryKey(["resourceArn", "key"])
        }
    }
}
