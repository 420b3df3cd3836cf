export {
  loadProjectConfig,
  PROJECT_CONFIG_FILE,
  type ProjectConfig,
  renderProjectConfig,
} from './project.ts';
