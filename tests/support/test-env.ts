// Settings every test process needs, as `npm start` would provide them. Tests that check
// configuration errors pass their own environment to readConfig instead.
process.env.HOOKYARD_MASTER_KEY ||= Buffer.alloc(32, 0x42).toString('base64');
process.env.AUTH_SECRET ||= 'test-auth-secret-test-auth-secret-test';
