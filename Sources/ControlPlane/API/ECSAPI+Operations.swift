import Foundation

extension ECSAPI {
    /// Runs one operation: the request body and its context in, the JSON response out.
    typealias OperationHandler = @Sendable (ECSAPI, Data, ECSRequestContext) throws(ECSError) -> Data

    /// Every ECS operation this endpoint serves, by name. ``operations`` (what the router
    /// accepts) is derived from it, so the two cannot drift apart.
    static let handlers: [String: OperationHandler] = [
        "CreateCluster": decoding { (api, r: CreateClusterRequest, c) throws(ECSError) in try api.createCluster(r, c) },
        "DescribeClusters": decoding { (api, r: DescribeClustersRequest, c) throws(ECSError) in try api.describeClusters(r, c) },
        "ListClusters": decoding { (api, r: ListClustersRequest, c) throws(ECSError) in try api.listClusters(r, c) },
        "DeleteCluster": decoding { (api, r: DeleteClusterRequest, c) throws(ECSError) in try api.deleteCluster(r, c) },
        "UpdateCluster": decoding { (api, r: UpdateClusterRequest, c) throws(ECSError) in try api.updateCluster(r, c) },
        "UpdateClusterSettings": decoding { (api, r: UpdateClusterSettingsRequest, c) throws(ECSError) in
            try api.updateClusterSettings(r, c)
        },
        "PutAccountSetting": decoding { (api, r: PutAccountSettingRequest, c) throws(ECSError) in try api.putAccountSetting(r, c) },
        "PutAccountSettingDefault": decoding { (api, r: PutAccountSettingDefaultRequest, c) throws(ECSError) in
            try api.putAccountSettingDefault(r, c)
        },
        "DeleteAccountSetting": decoding { (api, r: DeleteAccountSettingRequest, c) throws(ECSError) in
            try api.deleteAccountSetting(r, c)
        },
        "ListAccountSettings": decoding { (api, r: ListAccountSettingsRequest, c) throws(ECSError) in
            try api.listAccountSettings(r, c)
        },
        "UpdateTaskProtection": decoding { (api, r: UpdateTaskProtectionRequest, c) throws(ECSError) in
            try api.updateTaskProtection(r, c)
        },
        "GetTaskProtection": decoding { (api, r: GetTaskProtectionRequest, c) throws(ECSError) in try api.getTaskProtection(r, c) },
        "ListServiceDeployments": decoding { (api, r: ListServiceDeploymentsRequest, c) throws(ECSError) in
            try api.listServiceDeployments(r, c)
        },
        "DescribeServiceDeployments": decoding { (api, r: DescribeServiceDeploymentsRequest, c) throws(ECSError) in
            try api.describeServiceDeployments(r, c)
        },
        "DescribeServiceRevisions": decoding { (api, r: DescribeServiceRevisionsRequest, c) throws(ECSError) in
            try api.describeServiceRevisions(r, c)
        },
        "StopServiceDeployment": decoding { (api, r: StopServiceDeploymentRequest, c) throws(ECSError) in
            try api.stopServiceDeployment(r, c)
        },
        "ListServicesByNamespace": decoding { (api, r: ListServicesByNamespaceRequest, c) throws(ECSError) in
            try api.listServicesByNamespace(r, c)
        },
        "DescribeCapacityProviders": decoding { (api, r: DescribeCapacityProvidersRequest, c) throws(ECSError) in
            try api.describeCapacityProviders(r, c)
        },
        "PutClusterCapacityProviders": decoding { (api, r: PutClusterCapacityProvidersRequest, c) throws(ECSError) in
            try api.putClusterCapacityProviders(r, c)
        },
        "RegisterTaskDefinition": { (api, body, context) throws(ECSError) in
            try ECSJSONCoding.encode(api.registerTaskDefinition(body, context))
        },
        "DescribeTaskDefinition": decoding { (api, r: DescribeTaskDefinitionRequest, c) throws(ECSError) in
            try api.describeTaskDefinition(r, c)
        },
        "ListTaskDefinitions": decoding { (api, r: ListTaskDefinitionsRequest, c) throws(ECSError) in
            try api.listTaskDefinitions(r, c)
        },
        "ListTaskDefinitionFamilies": decoding { (api, r: ListTaskDefinitionFamiliesRequest, c) throws(ECSError) in
            try api.listTaskDefinitionFamilies(r)
        },
        "DeregisterTaskDefinition": decoding { (api, r: DeregisterTaskDefinitionRequest, c) throws(ECSError) in
            try api.deregisterTaskDefinition(r, c)
        },
        "DeleteTaskDefinitions": decoding { (api, r: DeleteTaskDefinitionsRequest, c) throws(ECSError) in
            try api.deleteTaskDefinitions(r, c)
        },
        "RegisterContainerInstance": decoding { (api, r: RegisterContainerInstanceRequest, c) throws(ECSError) in
            try api.registerContainerInstance(r, c)
        },
        "DeregisterContainerInstance": decoding { (api, r: DeregisterContainerInstanceRequest, c) throws(ECSError) in
            try api.deregisterContainerInstance(r, c)
        },
        "DescribeContainerInstances": decoding { (api, r: DescribeContainerInstancesRequest, c) throws(ECSError) in
            try api.describeContainerInstances(r, c)
        },
        "ListContainerInstances": decoding { (api, r: ListContainerInstancesRequest, c) throws(ECSError) in
            try api.listContainerInstances(r, c)
        },
        "UpdateContainerInstancesState": decoding { (api, r: UpdateContainerInstancesStateRequest, c) throws(ECSError) in
            try api.updateContainerInstancesState(r, c)
        },
        "PutAttributes": decoding { (api, r: PutAttributesRequest, c) throws(ECSError) in try api.putAttributes(r, c) },
        "ListAttributes": decoding { (api, r: ListAttributesRequest, c) throws(ECSError) in try api.listAttributes(r, c) },
        "DeleteAttributes": decoding { (api, r: DeleteAttributesRequest, c) throws(ECSError) in try api.deleteAttributes(r, c) },
        "TagResource": decoding { (api, r: TagResourceRequest, c) throws(ECSError) in try api.tagResource(r, c) },
        "UntagResource": decoding { (api, r: UntagResourceRequest, c) throws(ECSError) in try api.untagResource(r, c) },
        "ListTagsForResource": decoding { (api, r: ListTagsForResourceRequest, c) throws(ECSError) in
            try api.listTagsForResource(r, c)
        },
        "RunTask": decoding { (api, r: RunTaskRequest, c) throws(ECSError) in try api.runTask(r, c) },
        "StartTask": decoding { (api, r: StartTaskRequest, c) throws(ECSError) in try api.startTask(r, c) },
        "StopTask": decoding { (api, r: StopTaskRequest, c) throws(ECSError) in try api.stopTask(r, c) },
        "DescribeTasks": { (api, body, context) throws(ECSError) in
            try api.describeTasks(ECSJSONCoding.decode(DescribeTasksRequest.self, from: body), context).encoded()
        },
        "ListTasks": decoding { (api, r: ListTasksRequest, c) throws(ECSError) in try api.listTasks(r, c) },
        "CreateService": decoding { (api, r: CreateServiceRequest, c) throws(ECSError) in try api.createService(r, c) },
        "UpdateService": decoding { (api, r: UpdateServiceRequest, c) throws(ECSError) in try api.updateService(r, c) },
        "DeleteService": decoding { (api, r: DeleteServiceRequest, c) throws(ECSError) in try api.deleteService(r, c) },
        "DescribeServices": decoding { (api, r: DescribeServicesRequest, c) throws(ECSError) in try api.describeServices(r, c) },
        "ListServices": decoding { (api, r: ListServicesRequest, c) throws(ECSError) in try api.listServices(r, c) },
    ]

    /// A handler that decodes the request, runs `operation` and encodes its response.
    private static func decoding<Request: Decodable & SendableMetatype, Response: Encodable & SendableMetatype>(
        _ operation: @escaping @Sendable (ECSAPI, Request, ECSRequestContext) throws(ECSError) -> Response
    ) -> OperationHandler {
        { (api, body, context) throws(ECSError) in
            let request = try ECSJSONCoding.decode(Request.self, from: body)
            return try ECSJSONCoding.encode(operation(api, request, context))
        }
    }
}
