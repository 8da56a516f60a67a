// Numeric values from the kernel's UAPI headers (linux/netfilter/nfnetlink.h,
// linux/netfilter/nf_tables.h, linux/netfilter.h): ABI, never changed once released. Checked
// against the headers with a C program printing each.

/// Constants of nfnetlink's nf_tables subsystem.
enum Nftables {
    static let protocolNetfilter: Int32 = 12  // NETLINK_NETFILTER
    static let sendBufferForce: Int32 = 32  // SO_SNDBUFFORCE (asm-generic/socket.h)
    static let receiveBufferForce: Int32 = 33  // SO_RCVBUFFORCE
    static let subsystem: UInt16 = 10  // NFNL_SUBSYS_NFTABLES
    static let batchBegin: UInt16 = 0x10  // NFNL_MSG_BATCH_BEGIN
    static let batchEnd: UInt16 = 0x11  // NFNL_MSG_BATCH_END
    static let familyUnspecified: UInt8 = 0  // AF_UNSPEC (batch markers)
    static let familyIPv4: UInt8 = 2  // NFPROTO_IPV4

    // Message types, sent as (subsystem << 8) | type.
    static let newTable: UInt16 = 0  // NFT_MSG_NEWTABLE
    static let getTable: UInt16 = 1  // NFT_MSG_GETTABLE
    static let deleteTable: UInt16 = 2  // NFT_MSG_DELTABLE
    static let newChain: UInt16 = 3  // NFT_MSG_NEWCHAIN
    static let getChain: UInt16 = 4  // NFT_MSG_GETCHAIN
    static let deleteChain: UInt16 = 5  // NFT_MSG_DELCHAIN
    static let newRule: UInt16 = 6  // NFT_MSG_NEWRULE
    static let deleteRule: UInt16 = 8  // NFT_MSG_DELRULE (with no handle: every rule of the chain)
    static let newSet: UInt16 = 9  // NFT_MSG_NEWSET
    static let newSetElement: UInt16 = 12  // NFT_MSG_NEWSETELEM
    static let deleteSetElement: UInt16 = 14  // NFT_MSG_DELSETELEM

    static func messageType(_ type: UInt16) -> UInt16 { subsystem << 8 | type }

    // Attributes of tables, chains, hooks and rules.
    static let tableName: UInt16 = 1  // NFTA_TABLE_NAME
    static let chainTable: UInt16 = 1  // NFTA_CHAIN_TABLE
    static let chainName: UInt16 = 3  // NFTA_CHAIN_NAME
    static let chainHook: UInt16 = 4  // NFTA_CHAIN_HOOK
    static let chainPolicy: UInt16 = 5  // NFTA_CHAIN_POLICY
    static let chainType: UInt16 = 7  // NFTA_CHAIN_TYPE
    static let hookNumber: UInt16 = 1  // NFTA_HOOK_HOOKNUM
    static let hookPriority: UInt16 = 2  // NFTA_HOOK_PRIORITY
    static let ruleTable: UInt16 = 1  // NFTA_RULE_TABLE
    static let ruleChain: UInt16 = 2  // NFTA_RULE_CHAIN
    static let ruleExpressions: UInt16 = 4  // NFTA_RULE_EXPRESSIONS
    static let listElement: UInt16 = 1  // NFTA_LIST_ELEM
    static let setTable: UInt16 = 1  // NFTA_SET_TABLE
    static let setName: UInt16 = 2  // NFTA_SET_NAME
    static let setFlags: UInt16 = 3  // NFTA_SET_FLAGS
    static let setKeyType: UInt16 = 4  // NFTA_SET_KEY_TYPE (for nft's display only)
    static let setKeyLength: UInt16 = 5  // NFTA_SET_KEY_LEN
    static let setDataType: UInt16 = 6  // NFTA_SET_DATA_TYPE
    static let setID: UInt16 = 10  // NFTA_SET_ID: names a set added earlier in the same batch
    static let setFlagMap: UInt32 = 0x8  // NFT_SET_MAP
    static let dataTypeVerdict: UInt32 = 0xffff_ff00  // NFT_DATA_VERDICT
    static let keyTypeTransportPort: UInt32 = 13  // nft's TYPE_INET_SERVICE
    static let elementListTable: UInt16 = 1  // NFTA_SET_ELEM_LIST_TABLE
    static let elementListSet: UInt16 = 2  // NFTA_SET_ELEM_LIST_SET
    static let elementListElements: UInt16 = 3  // NFTA_SET_ELEM_LIST_ELEMENTS
    static let elementKey: UInt16 = 1  // NFTA_SET_ELEM_KEY
    static let elementData: UInt16 = 2  // NFTA_SET_ELEM_DATA
    static let lookupSet: UInt16 = 1  // NFTA_LOOKUP_SET
    static let lookupSource: UInt16 = 2  // NFTA_LOOKUP_SREG
    static let lookupDestination: UInt16 = 3  // NFTA_LOOKUP_DREG
    static let lookupSetID: UInt16 = 4  // NFTA_LOOKUP_SET_ID
    static let verdictChain: UInt16 = 2  // NFTA_VERDICT_CHAIN
    static let verdictJump: UInt32 = 0xffff_fffd  // NFT_JUMP (-3)
    static let expressionName: UInt16 = 1  // NFTA_EXPR_NAME
    static let expressionData: UInt16 = 2  // NFTA_EXPR_DATA
    static let dataValue: UInt16 = 1  // NFTA_DATA_VALUE
    static let dataVerdict: UInt16 = 2  // NFTA_DATA_VERDICT
    static let verdictCode: UInt16 = 1  // NFTA_VERDICT_CODE
    static let verdictRegister: UInt32 = 0  // NFT_REG_VERDICT
    static let verdictDrop: UInt32 = 0  // NF_DROP
    static let policyAccept: UInt32 = 1  // NF_ACCEPT

    // Expression attributes.
    static let metaDestination: UInt16 = 1  // NFTA_META_DREG
    static let metaKey: UInt16 = 2  // NFTA_META_KEY
    static let compareSource: UInt16 = 1  // NFTA_CMP_SREG
    static let compareOperator: UInt16 = 2  // NFTA_CMP_OP
    static let compareData: UInt16 = 3  // NFTA_CMP_DATA
    static let payloadDestination: UInt16 = 1  // NFTA_PAYLOAD_DREG
    static let payloadBase: UInt16 = 2  // NFTA_PAYLOAD_BASE
    static let payloadOffset: UInt16 = 3  // NFTA_PAYLOAD_OFFSET
    static let payloadLength: UInt16 = 4  // NFTA_PAYLOAD_LEN
    static let immediateDestination: UInt16 = 1  // NFTA_IMMEDIATE_DREG
    static let immediateData: UInt16 = 2  // NFTA_IMMEDIATE_DATA
    static let fibDestination: UInt16 = 1  // NFTA_FIB_DREG
    static let fibResult: UInt16 = 2  // NFTA_FIB_RESULT
    static let fibFlags: UInt16 = 3  // NFTA_FIB_FLAGS
    static let natType: UInt16 = 1  // NFTA_NAT_TYPE
    static let natFamily: UInt16 = 2  // NFTA_NAT_FAMILY
    static let natAddressMinimum: UInt16 = 3  // NFTA_NAT_REG_ADDR_MIN
    static let natProtocolMinimum: UInt16 = 5  // NFTA_NAT_REG_PROTO_MIN

    // Expression values.
    static let metaL4Protocol: UInt32 = 16  // NFT_META_L4PROTO
    static let metaInputInterfaceName: UInt32 = 6  // NFT_META_IIFNAME
    static let metaOutputInterfaceName: UInt32 = 7  // NFT_META_OIFNAME
    static let payloadNetworkHeader: UInt32 = 1  // NFT_PAYLOAD_NETWORK_HEADER
    static let payloadTransportHeader: UInt32 = 2  // NFT_PAYLOAD_TRANSPORT_HEADER
    static let fibResultAddressType: UInt32 = 3  // NFT_FIB_RESULT_ADDRTYPE
    static let fibDestinationAddress: UInt32 = 2  // NFTA_FIB_F_DADDR
    static let natDestination: UInt32 = 1  // NFT_NAT_DNAT
    /// `RTN_LOCAL` (linux/rtnetlink.h): what `fib daddr type` yields for an address of this host.
    static let routeTypeLocal: UInt32 = 2
}
