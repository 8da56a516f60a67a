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

    /// The operations this type implements: the keys of its dispatch table.
    public static let operations: Set<String> = Set(handlers.keys)

    public let store: ECSStore
    /// Told when RunTask, StartTask or StopTask committed new desired state (the task
    /// reconciler); nil leaves new tasks PROVISIONING until a reconciler pass finds them.
    public let taskObserver: (any TaskDesiredStateObserver)?

    /// Told when CreateService, UpdateService or DeleteService committed (the service
    /// controller); nil leaves services to the controller's next pass.
    public var serviceObserver: (any ServiceDesiredStateObserver)?
    /// The load balancer's target groups, which services' `loadBalancers` must name; nil
    /// accepts any target group.
    public var targetGroups: (any TargetGroupCatalog)?

    public init(store: ECSStore,
                taskObserver: (any TaskDesiredStateObserver)? = nil, serviceObserver: (any ServiceDesiredStateObserver)? = nil,
                targetGroups: (any TargetGroupCatalog)? = nil) {
        self.store = store
        self.taskObserver = taskObserver
        self.serviceObserver = serviceObserver
        self.targetGroups = targetGroups
    }

    /// Runs `operation` (e.g. `CreateCluster`, or with the `AmazonEC2ContainerServiceV20141113.`
    /// prefix) on the JSON request `body` and returns the JSON response.
    public func handle(operation: String, body: Data, context: ECSRequestContext) throws(ECSError) -> Data {
        let name = operation.hasPrefix(Self.targetPrefix + ".")
            ? String(operation.dropFirst(Self.targetPrefix.count + 1)) : operation
        guard let handler = Self.handlers[name] else {
            throw ECSError(.unknownOperationException, "Operation \(name) is not supported by this ECS endpoint.")
        }
        return try handler(self, body, context)
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
