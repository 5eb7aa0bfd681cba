import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { IConversionOptions, INamespace, Root, Type } from 'protobufjs/light';

/**
 * gRPC service definitions straight from a protobufjs root, with the codecs @grpc/proto-loader makes:
 * a request or response is encoded with `Type.encode(Type.fromObject(value))` and decoded with
 * `Type.toObject(Type.decode(bytes), options)`. proto-loader itself also builds a descriptor of every
 * message type and loads the full protobufjs with its descriptor extension, which the stand-ins never
 * use: that was about an eighth of each plugin process's start.
 */

/** How decoded requests look to the handlers: snake_case fields, 64-bit integers as strings, enums as numbers. */
export const DECODE_OPTIONS: IConversionOptions = { longs: String, enums: Number, defaults: false, oneofs: true };

/** A resolved root from the JSON the build embeds (see build-mirror.ts). */
export function protocolRoot(json: INamespace): Root {
  const root = Root.fromJSON(json);
  root.resolveAll();
  return root;
}

/** The definition of one service (`package.Service`) as `grpc.Server.addService` and clients take it. */
export function serviceDefinition(root: Root, serviceName: string, options: IConversionOptions = DECODE_OPTIONS): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of root.lookupService(serviceName).methodsArray) {
    const requestType = method.resolvedRequestType!;
    const responseType = method.resolvedResponseType!;
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: serializer(requestType),
      requestDeserialize: deserializer(requestType, options),
      responseSerialize: serializer(responseType),
      responseDeserialize: deserializer(responseType, options),
    };
  }
  return definition;
}

function serializer(type: Type): (value: unknown) => Buffer {
  return (value) => {
    if (Array.isArray(value)) throw new Error(`Failed to serialize message: expected object with ${type.name} structure, got array instead`);
    // protobufjs writes into a Buffer under Node.
    return type.encode(type.fromObject(value as Record<string, unknown>)).finish() as Buffer;
  };
}

function deserializer(type: Type, options: IConversionOptions): (bytes: Buffer) => unknown {
  return (bytes) => type.toObject(type.decode(bytes), options);
}
