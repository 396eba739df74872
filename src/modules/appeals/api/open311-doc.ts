// How the Open311 GeoReport v2 routes (open311.ts) appear in the API document: their parameters
// (read and checked by the handlers, in Open311's own error format — so described, not validated
// by Fastify) and their answers, JSON and XML. The response check under test holds the JSON
// answers to these schemas: change them with the routes.
import { Type, type TSchema } from '@sinclair/typebox';
import { media, TextBody } from '../../../platform/http/schemas.js';

type Fmt = 'json' | 'xml';
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const text = (description: string) => Type.String({ description });

const Errors = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }), { description: 'Open311 errors: [{code, description}]' });

const Discovery = Type.Object({
  changeset: Type.String(),
  contact: Type.String(),
  key_service: Type.String(),
  endpoints: Type.Array(Type.Object({ specification: Type.String(), url: Type.String(), changeset: Type.String(), type: Type.String(), formats: Type.Array(Type.String()) })),
});

const Services = Type.Array(
  Type.Object({ service_code: Type.String(), service_name: Type.String(), description: Type.String(), metadata: Type.Boolean(), type: Type.String({ enum: ['realtime', 'batch', 'blackbox'] }), keywords: Type.String(), group: Type.String() }),
);

const ServiceDefinition = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(
    Type.Object({
      variable: Type.Boolean(),
      code: Type.String(),
      datatype: Type.String({ enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] }),
      required: Type.Boolean(),
      datatype_description: Nullable(Type.String()),
      order: Type.Integer(),
      description: Type.String(),
      values: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
    }),
  ),
});

const Created = Type.Array(Type.Object({ service_request_id: Type.String(), service_notice: Type.String(), account_id: Type.Null() }));

const Request = Type.Object({
  service_request_id: Type.String(),
  status: Type.String({ enum: ['open', 'closed'] }),
  status_notes: Nullable(Type.String()),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Nullable(Type.String()),
  agency_responsible: Nullable(Type.String()),
  service_notice: Nullable(Type.String()),
  requested_datetime: Nullable(Type.String()),
  updated_datetime: Nullable(Type.String()),
  expected_datetime: Nullable(Type.String()),
  address: Nullable(Type.String()),
  address_id: Nullable(Type.String()),
  zipcode: Nullable(Type.String()),
  lat: Nullable(Type.Number({ description: 'on a 0.003° grid, unless asked with the api_key that submitted the request' })),
  long: Nullable(Type.Number()),
  media_url: Nullable(Type.String()),
});

const XML = 'text/xml';

/** The answers of one route: 200/201 in the route's format, and Open311 errors for 4xx and 5xx. */
function answers(fmt: Fmt, status: 200 | 201, what: string, json: TSchema) {
  const body = (description: string, schema: TSchema) => (fmt === 'json' ? media(description, { 'application/json': schema }) : media(`${description} (XML)`, { [XML]: TextBody }));
  return { [status]: body(what, json), '4xx': body('Open311 errors: a bad parameter (400), a bad api_key (403), no such service or request (404), too many requests (429)', Errors), '5xx': body('Open311 errors: a server fault', Errors) };
}

const tags = ['open311'];
const apiKey = (description: string) => Type.Optional(Type.String({ description }));

export const open311Doc = {
  discovery: (fmt: Fmt) => ({ tags, summary: `Open311 discovery: the endpoint, its formats and where to ask for an api_key (${fmt})`, response: answers(fmt, 200, 'Discovery', Discovery) }),
  services: (fmt: Fmt) => ({ tags, summary: `Open311 services: the categories of the dispatch catalogue (${fmt})`, response: answers(fmt, 200, 'Service list', Services) }),
  service: (fmt: Fmt) => ({
    tags,
    summary: `Open311 service definition: the attributes a request of this service carries (${fmt})`,
    doc: { params: Type.Object({ code: text('service_code') }) },
    response: answers(fmt, 200, 'Service definition', ServiceDefinition),
  }),
  submit: (fmt: Fmt) => ({
    tags,
    summary: `Open311: submit a service request with an api_key (rate-limited per client address) (${fmt})`,
    consumes: ['application/x-www-form-urlencoded', 'application/json'],
    doc: {
      body: Type.Object(
        {
          api_key: text('The key a client was given (console: 诉求 → Open311 keys)'),
          service_code: text('A service_code of services.json'),
          lat: Type.Optional(text('Latitude (WGS84); with long, or give address_string or address_id')),
          long: Type.Optional(text('Longitude (WGS84)')),
          address_string: Type.Optional(Type.String()),
          address_id: Type.Optional(Type.String()),
          email: Type.Optional(Type.String()),
          first_name: Type.Optional(Type.String()),
          last_name: Type.Optional(Type.String()),
          phone: Type.Optional(Type.String()),
          description: Type.Optional(Type.String()),
          media_url: Type.Optional(text('An http(s) URL, shown as given and never fetched')),
          'attribute[appeal_type]': text('The appeal type (see the service definition)'),
          'attribute[title]': Type.Optional(Type.String()),
          'attribute[consent]': Type.Optional(Type.String({ enum: ['yes', 'no'] })),
        },
        { additionalProperties: true },
      ),
    },
    response: answers(fmt, 201, 'The new request’s id and notice', Created),
  }),
  requests: (fmt: Fmt) => ({
    tags,
    summary: `Open311 service requests: public ones (released for publication), and those submitted with the api_key given (${fmt})`,
    doc: {
      querystring: Type.Object({
        api_key: apiKey('With the key that submitted them: the requests of that client too, with their exact points'),
        service_request_id: Type.Optional(text('Comma-separated ids (at most 100); the other filters are then ignored')),
        service_code: Type.Optional(text('Comma-separated service codes')),
        start_date: Type.Optional(text('W3C datetime; the span to end_date is at most 90 days (default: the 90 days before end_date)')),
        end_date: Type.Optional(text('W3C datetime')),
        status: Type.Optional(text('open, closed, or both comma-separated')),
      }),
    },
    response: answers(fmt, 200, 'Service requests, newest first (at most 1000)', Type.Array(Request)),
  }),
  request: (fmt: Fmt) => ({
    tags,
    summary: `Open311: one service request (404 for one that is not public, unless asked with the api_key that submitted it) (${fmt})`,
    doc: { params: Type.Object({ id: text('service_request_id') }), querystring: Type.Object({ api_key: apiKey('The key that submitted it: its exact point') }) },
    response: answers(fmt, 200, 'The request (an array of one, as the specification has it)', Type.Array(Request)),
  }),
};
