import { Component } from './component';
import { registerComponentType } from './component-registry';

/**
 * A component that does nothing but hold children: the root of an application whose components
 * all come from config. Registered as the type name `container`.
 *
 * @example
 * # config.yaml
 * component:
 *   type: container
 *   components: { db: { type: ./db.js:Db }, api: { type: ./api.js:Api } }
 */
export class ContainerComponent extends Component {}

registerComponentType('container', ContainerComponent);
