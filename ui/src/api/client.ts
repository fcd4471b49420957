import { createContext, useContext } from 'react';
import { toApiError } from './errors';
import type { Transport } from './transport';
import type { ApiMethods, AppEvent } from './types.gen';

export type Method = keyof ApiMethods;
export type MethodRequest<M extends Method> = ApiMethods[M]['request'];
export type MethodResponse<M extends Method> = ApiMethods[M]['response'];

/** Typed API client over either transport. Errors thrown are always ApiError-shaped. */
export class AssayClient {
  constructor(readonly transport: Transport) {}

  get kind(): Transport['kind'] {
    return this.transport.kind;
  }

  async call<M extends Method>(method: M, params: MethodRequest<M>): Promise<MethodResponse<M>> {
    try {
      return (await this.transport.call(method, params)) as MethodResponse<M>;
    } catch (e) {
      throw toApiError(e);
    }
  }

  subscribe(onEvent: (e: AppEvent) => void): () => void {
    return this.transport.subscribe(onEvent);
  }
}

export const ClientContext = createContext<AssayClient | null>(null);

export function useClient(): AssayClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient must be used inside <ClientContext.Provider>');
  return client;
}
