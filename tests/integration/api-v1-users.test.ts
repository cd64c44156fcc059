import { describe, expect, it } from 'vitest';
import { GET, POST } from '@/app/api/v1/users/route';
import { issueApiKey } from '@/lib/auth/manage-api-keys';

async function call(handler: (request: Request) => Promise<Response>, key: string | null, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (key) headers.set('authorization', `Bearer ${key}`);
  const response = await handler(new Request('http://localhost/api/v1/users', { ...init, headers }));
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('/api/v1/users', () => {
  it('checks the role on the server and answers errors in the contract shape', async () => {
    const admin = (await issueApiKey({ name: 'admin', role: 'ADMIN' }, 'system')).key;
    const viewer = (await issueApiKey({ name: 'viewer', role: 'VIEWER' }, 'system')).key;

    expect(await call(GET, null)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await call(GET, viewer)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const created = await call(POST, admin, { method: 'POST', body: JSON.stringify({ email: 'new@example.com', role: 'SUPPORT' }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'new@example.com', role: 'SUPPORT', active: true });
    expect(created.body.password).toHaveLength(20);
    expect(created.body.passwordHash).toBeUndefined();

    expect(await call(POST, admin, { method: 'POST', body: JSON.stringify({ email: 'new@example.com', role: 'SUPPORT' }) })).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });
    expect(await call(POST, admin, { method: 'POST', body: '{"email":' })).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    const invalid = await call(POST, admin, { method: 'POST', body: JSON.stringify({ email: 'x', role: 'GOD' }) });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe('invalid_input');

    const list = await call(GET, admin);
    expect(list.status).toBe(200);
    expect(list.body.data.map((user: { email: string }) => user.email)).toContain('new@example.com');
    // How each user signs in, without revealing anything about the hash.
    expect(list.body.data.find((user: { email: string }) => user.email === 'new@example.com').signInMethods).toEqual(['password']);
    expect(JSON.stringify(list.body)).not.toContain('argon2');
  });
});
