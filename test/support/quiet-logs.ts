// fabric-contract-api logs every decorator at INFO when a contract module loads. Import this module
// before any chaincode module to keep test output readable; an explicit setting still wins.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'WARNING';

export {};
