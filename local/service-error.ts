/**
 * The error class of a local endpoint whose every error name has one HTTP status (the service's table): `name` is
 * what the SDK surfaces as `err.name`, `status` what the endpoint answers it with. Each service declares its own
 * named class over it (`class SchedulerApiError extends serviceErrorClass(ERROR_STATUS) {}`), so an endpoint's
 * `instanceof` check never catches another service's error.
 */
export function serviceErrorClass<Name extends string>(statusOf: Readonly<Record<Name, number>>) {
  return class extends Error {
    override readonly name: Name;
    readonly status: number;

    constructor(name: Name, message: string) {
      super(message);
      this.name = name;
      this.status = statusOf[name];
    }
  };
}
