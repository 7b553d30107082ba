import { AppConfig } from '../config/app-config';
import { keyDigests, keyMatches, presentedKey } from './api-key.guard';

interface Req {
  headers: Record<string, string | string[] | undefined>;
}
interface Res {
  statusCode: number;
  setHeader(name: string, value: string): void;
  end(body: string): void;
}

/**
 * The queue dashboard is plain Express (bull-board), outside Nest's guards: this middleware asks for an API
 * key there too. Browsers get a Basic-auth prompt (any user name, the key as password).
 */
export function dashboardAuth(config: AppConfig) {
  const keys = keyDigests(config.apiKeys);
  return (req: Req, res: Res, next: () => void) => {
    if (!keys.length) return next();
    const given = presentedKey(req.headers);
    if (given && keyMatches(keys, given)) return next();
    res.statusCode = 401;
    res.setHeader('WWW-Authenticate', 'Basic realm="langflix queues", charset="UTF-8"');
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'the queue dashboard needs an API key (as the Basic-auth password, a Bearer token or X-API-Key)',
      }),
    );
  };
}
