import Foundation
import GRDB

/// The Amazon ECS API over the control plane's store, transport-neutral: an operation name and
/// a JSON body in, a JSON body out (or an ``ECSError`` carrying ECS's exception name).
///
/// The protocol layer (SigV4, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`,
/// the error envelope) calls ``handle(operation:body:context:)``.
///
/// Every operation validates its whole request before it writes anything, and writes in one
/// transaction, so a request that fails changes nothing. ``handle(operation:body:context:)``
/// blocks on the store: call it off any event loop.
public struct ECSAPI: Sendable {
    /// The `X-Amz-Target` prefix of ECS operations.
    public static let targetPrefix = "AmazonEC2ContainerServiceV20141113"

    /// The operations this type implements.
    public static let operations: Set<String> = [
        "CreateCluster", "DescribeClusters", "ListClusters", "DeleteCluster", "UpdateCluster", "UpdateClusterSettings",
        "RegisterTaskDefinition", "DescribeTaskDefinition", "ListTaskDefinitions", "ListTaskDefinitionFamilies",
        "DeregisterTaskDefinition", "DeleteTaskDefinitions",
        "RegisterContainerInstance", "DeregisterContainerInstance", "DescribeContainerInstances",
        "ListContainerInstances", "UpdateContainerInstancesState",
        "PutAttributes", "ListAttributes", "DeleteAttributes",
        "TagResource", "UntagResource", "ListTagsForResource",
        "RunTask", "StartTask", "StopTask", "DescribeTasks", "ListTasks",
        "CreateService", "UpdateService", "DeleteService", "DescribeServices", "ListServices",
    ]

    public let store: ECSStore
    /// Evaluates ListContainerInstances' `filter` (the cluster query language); nil until the
    /// scheduler's parser is wired in, and then a request with a `filter` is refused.
    public let containerInstanceFilter: (any ContainerInstanceFilterEvaluator)?
    /// Told when RunTask, StartTask or StopTask committed new desired state (the task
    /// reconciler); nil leaves new tasks PROVISIONING until a reconciler pass finds them.
    public let taskObserver: (any TaskDesiredStateObserver)?

    /// Told when CreateService, UpdateService or DeleteService committed (the service
    /// controller); nil leaves services to the controller's next pass.
    public var serviceObserver: (any ServiceDesiredStateObserver)?
    /// The load balancer's target groups, which services' `loadBalancers` must name; nil
    /// accepts any target group.
    public var targetGroups: (any TargetGroupCatalog)?

    public init(store: ECSStore, containerInstanceFilter: (any ContainerInstanceFilterEvaluator)? = nil,
                taskObserver: (any TaskDesiredStateObserver)? = nil, serviceObserver: (any ServiceDesiredStateObserver)? = nil,
                targetGroups: (any TargetGroupCatalog)? = nil) {
        self.store = store
        self.containerInstanceFilter = containerInstanceFilter
        self.taskObserver = taskObserver
        self.serviceObserver = serviceObserver
        self.targetGroups = targetGroups
    }

    /// Runs `operation` (e.g. `CreateCluster`, or with the `AmazonEC2ContainerServiceV20141113.`
    /// prefix) on the JSON request `body` and returns the JSON response.
    public func handle(operation: String, body: Data, context: ECSRequestContext) throws(ECSError) -> Data {
        let name = operation.hasPrefix(Self.targetPrefix + ".")
            ? String(operation.dropFirst(Self.targetPrefix.count + 1)) : operation
        switch name {
        case "CreateCluster": return try run(body) { (r: CreateClusterRequest) throws(ECSError) in try createCluster(r, context) }
        case "DescribeClusters": return try run(body) { (r: DescribeClustersRequest) throws(ECSError) in try describeClusters(r, context) }
        case "ListClusters": return try run(body) { (r: ListClustersRequest) throws(ECSError) in try listClusters(r, context) }
        case "DeleteCluster": return try run(body) { (r: DeleteClusterRequest) throws(ECSError) in try deleteCluster(r, context) }
        case "UpdateCluster": return try run(body) { (r: UpdateClusterRequest) throws(ECSError) in try updateCluster(r, context) }
        case "UpdateClusterSettings":
            return try run(body) { (r: UpdateClusterSettingsRequest) throws(ECSError) in try updateClusterSettings(r, context) }
        case "RegisterTaskDefinition": return try ECSJSONCoding.encode(registerTaskDefinition(body, context))
        case "DescribeTaskDefinition":
            return try run(body) { (r: DescribeTaskDefinitionRequest) throws(ECSError) in try describeTaskDefinition(r, context) }
        case "ListTaskDefinitions":
            return try run(body) { (r: ListTaskDefinitionsRequest) throws(ECSError) in try listTaskDefinitions(r, context) }
        case "ListTaskDefinitionFamilies":
            return try run(body) { (r: ListTaskDefinitionFamiliesRequest) throws(ECSError) in try listTaskDefinitionFamilies(r) }
        case "DeregisterTaskDefinition":
            return try run(body) { (r: DeregisterTaskDefinitionRequest) throws(ECSError) in try deregisterTaskDefinition(r, context) }
        case "DeleteTaskDefinitions":
            return try run(body) { (r: DeleteTaskDefinitionsRequest) throws(ECSError) in try deleteTaskDefinitions(r, context) }
        case "RegisterContainerInstance":
            return try run(body) { (r: RegisterContainerInstanceRequest) throws(ECSError) in try registerContainerInstance(r, context) }
        case "DeregisterContainerInstance":
            return try run(body) { (r: DeregisterContainerInstanceRequest) throws(ECSError) in try deregisterContainerInstance(r, context) }
        case "DescribeContainerInstances":
            return try run(body) { (r: DescribeContainerInstancesRequest) throws(ECSError) in try describeContainerInstances(r, context) }
        case "ListContainerInstances":
            return try run(body) { (r: ListContainerInstancesRequest) throws(ECSError) in try listContainerInstances(r, context) }
        case "UpdateContainerInstancesState":
            return try run(body) { (r: UpdateContainerInstancesStateRequest) throws(ECSError) in
                try updateContainerInstancesState(r, context)
            }
        case "PutAttributes": return try run(body) { (r: PutAttributesRequest) throws(ECSError) in try putAttributes(r, context) }
        case "ListAttributes": return try run(body) { (r: ListAttributesRequest) throws(ECSError) in try listAttributes(r, context) }
        case "DeleteAttributes": return try run(body) { (r: DeleteAttributesRequest) throws(ECSError) in try deleteAttributes(r, context) }
        case "TagResource": return try run(body) { (r: TagResourceRequest) throws(ECSError) in try tagResource(r, context) }
        case "UntagResource": return try run(body) { (r: UntagResourceRequest) throws(ECSError) in try untagResource(r, context) }
        case "ListTagsForResource":
            return try run(body) { (r: ListTagsForResourceRequest) throws(ECSError) in try listTagsForResource(r, context) }
        case "RunTask": return try run(body) { (r: RunTaskRequest) throws(ECSError) in try runTask(r, context) }
        case "StartTask": return try run(body) { (r: StartTaskRequest) throws(ECSError) in try startTask(r, context) }
        case "StopTask": return try run(body) { (r: StopTaskRequest) throws(ECSError) in try stopTask(r, context) }
        case "DescribeTasks": return try run(body) { (r: DescribeTasksRequest) throws(ECSError) in try describeTasks(r, context) }
        case "ListTasks": return try run(body) { (r: ListTasksRequest) throws(ECSError) in try listTasks(r, context) }
        case "CreateService": return try run(body) { (r: CreateServiceRequest) throws(ECSError) in try createService(r, context) }
        case "UpdateService": return try run(body) { (r: UpdateServiceRequest) throws(ECSError) in try updateService(r, context) }
        case "DeleteService": return try run(body) { (r: DeleteServiceRequest) throws(ECSError) in try deleteService(r, context) }
        case "DescribeServices":
            return try run(body) { (r: DescribeServicesRequest) throws(ECSError) in try describeServices(r, context) }
        case "ListServices": return try run(body) { (r: ListServicesRequest) throws(ECSError) in try listServices(r, context) }
        default:
            throw ECSError(.unknownOperationException, "Operation \(name) is not supported by this ECS endpoint.")
        }
    }

    /// Decodes the request, runs the operation, encodes its response.
    private func run<Request: Decodable, Response: Encodable>(
        _ body: Data, _ operation: (Request) throws(ECSError) -> Response
    ) throws(ECSError) -> Data {
        let request = try ECSJSONCoding.decode(Request.self, from: body)
        return try ECSJSONCoding.encode(operation(request))
    }

    // MARK: Store access with ECS errors

    /// Runs `updates` in one write transaction. An ``ECSError`` thrown inside rolls back and
    /// comes out as is; any other failure is a ServerException.
    func transaction<T>(_ updates: (Database) throws -> T) throws(ECSError) -> T {
        do {
            return try store.write(updates)
        } catch let error as ECSError {
            throw error
        } catch {
            throw .server(error)
        }
    }

    /// Runs `body` in one read transaction, with the same error mapping as ``transaction(_:)``.
    func snapshot<T>(_ body: (Database) throws -> T) throws(ECSError) -> T {
        do {
            return try store.read(body)
        } catch let error as ECSError {
            throw error
        } catch {
            throw .server(error)
        }
    }
}
