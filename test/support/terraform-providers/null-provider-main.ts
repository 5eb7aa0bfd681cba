import { nullDataSource } from './null-data-source';
import { nullResource } from './null-resource';
import { exitWithStartupError, servePlugin } from './plugin-server';

// Entry point of the hashicorp/null stand-in executable.
servePlugin({ name: 'null', resources: { null_resource: nullResource }, dataSources: { null_data_source: nullDataSource } }).catch(exitWithStartupError);
