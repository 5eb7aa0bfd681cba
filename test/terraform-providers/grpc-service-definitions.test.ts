import * as path from 'node:path';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import { protocolJson } from '../support/terraform-providers/build-mirror';
import { DECODE_OPTIONS, protocolRoot, serviceDefinition } from '../support/terraform-providers/grpc-service-definitions';

// The stand-ins once loaded their protocol through @grpc/proto-loader at every start; they now rebuild it
// from JSON the build embeds. These tests hold the result to what proto-loader makes, so the bytes on the
// wire and the objects the handlers see are the same as before.
const PROTOCOL_DIRECTORY = path.join(__dirname, '..', 'support', 'terraform-providers', 'protocol');
const PROTOCOLS = { 'tfplugin5.proto': ['tfplugin5.Provider'], 'go-plugin.proto': ['plugin.GRPCController', 'plugin.GRPCStdio'] };

/** proto-loader with the options the stand-ins passed it. */
function protoLoaderDefinitions(file: string) {
  return loadSync(path.join(PROTOCOL_DIRECTORY, file), { keepCase: true, ...DECODE_OPTIONS });
}

function messageTypes(namespace: protobuf.NamespaceBase): protobuf.Type[] {
  return namespace.nestedArray.flatMap((nested) => [
    ...(nested instanceof protobuf.Type ? [nested] : []),
    ...(nested instanceof protobuf.Namespace ? messageTypes(nested) : []),
  ]);
}

describe('the stand-ins\' gRPC service definitions', () => {
  test.each(Object.entries(PROTOCOLS))('%s: every message type gets the codecs protobufjs generates from the .proto itself', (file) => {
    // GIVEN the types proto-loader builds (it parses the .proto with protobufjs) and the ones the stand-ins rebuild from JSON
    const parsed = new protobuf.Root().loadSync(path.join(PROTOCOL_DIRECTORY, file), { keepCase: true });
    parsed.resolveAll();
    const rebuilt = protocolRoot(protocolJson(path.join(PROTOCOL_DIRECTORY, file)));

    // WHEN each type's generated encoder, decoder and object converters are compared, as source
    const codecs = (type: protobuf.Type) => [
      protobuf.encoder(type).toString(),
      protobuf.decoder(type).toString(),
      protobuf.converter.fromObject(type).toString(),
      protobuf.converter.toObject(type).toString(),
    ];
    const types = messageTypes(parsed);

    // THEN
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) expect([type.fullName, ...codecs(rebuilt.lookupType(type.fullName))]).toEqual([type.fullName, ...codecs(type)]);
  });

  test.each(Object.entries(PROTOCOLS))('%s: the services have proto-loader\'s methods, paths and streaming flags', (file, services) => {
    const root = protocolRoot(protocolJson(path.join(PROTOCOL_DIRECTORY, file)));
    const expected = protoLoaderDefinitions(file);
    const shape = (definition: ServiceDefinition) => Object.entries(definition)
      .map(([name, method]: [string, MethodDefinition<unknown, unknown>]) => [name, method.path, method.requestStream, method.responseStream]);
    for (const service of services) {
      expect(shape(serviceDefinition(root, service))).toEqual(shape(expected[service] as ServiceDefinition));
    }
  });

  test('requests and responses encode and decode as with proto-loader: 64-bit integers as strings, oneofs, bytes, no defaults', () => {
    // GIVEN
    const ours = serviceDefinition(protocolRoot(protocolJson(path.join(PROTOCOL_DIRECTORY, 'tfplugin5.proto'))), 'tfplugin5.Provider');
    const theirs = protoLoaderDefinitions('tfplugin5.proto')['tfplugin5.Provider'] as ServiceDefinition;
    const schema = {
      provider: { version: '0', block: { version: '0', attributes: [] } },
      resource_schemas: [{ key: 'null_resource', value: { version: 0, block: { attributes: [{ name: 'triggers', type: Buffer.from('["map","string"]'), optional: true }] } } }],
      diagnostics: [{ severity: 2, summary: 'Deprecated', attribute: { steps: [{ attribute_name: 'id' }, { element_key_int: '9007199254740993' }] } }],
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: true },
    };
    const planRequest = { type_name: 'null_resource', prior_state: { msgpack: Buffer.from([0xc0]) }, config: { msgpack: Buffer.from([0x81, 0xa1, 0x61, 0x01]) }, prior_private: Buffer.alloc(0) };
    const upgradeRequest = { type_name: 'null_resource', version: '0', raw_state: { json: Buffer.from('{"id":"1"}') } };

    // WHEN / THEN
    for (const [method, request, response] of [
      ['GetSchema', {}, schema],
      ['PlanResourceChange', planRequest, { planned_state: { msgpack: Buffer.from([0xc0]) }, requires_replace: [{ steps: [{ attribute_name: 'triggers' }] }] }],
      ['UpgradeResourceState', upgradeRequest, { upgraded_state: { msgpack: Buffer.from([0x80]) }, diagnostics: [] }],
      ['Stop', {}, { Error: '' }],
    ] as const) {
      const requestBytes = theirs[method].requestSerialize(request);
      expect(ours[method].requestSerialize(request)).toEqual(requestBytes);
      expect(ours[method].requestDeserialize(requestBytes)).toEqual(theirs[method].requestDeserialize(requestBytes));
      const responseBytes = theirs[method].responseSerialize(response);
      expect(ours[method].responseSerialize(response)).toEqual(responseBytes);
      expect(ours[method].responseDeserialize(responseBytes)).toEqual(theirs[method].responseDeserialize(responseBytes));
    }
    expect(() => ours.GetSchema.responseSerialize([])).toThrow('Failed to serialize message: expected object with GetSchemaResponse structure, got array instead');
  });
});
