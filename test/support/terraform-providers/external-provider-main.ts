import { externalDataSource } from './external-data-source';
import { exitWithStartupError, servePlugin } from './plugin-server';

// Entry point of the hashicorp/external stand-in executable.
servePlugin({ name: 'external', resources: {}, dataSources: { external: externalDataSource } }).catch(exitWithStartupError);
